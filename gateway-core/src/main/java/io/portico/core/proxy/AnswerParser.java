package io.portico.core.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;

/**
 * Parses an upstream's answers, one at a time, for an {@link HttpParser.ResponseHandler}, with the
 * same calls in the same order as Jetty's {@link HttpParser}.
 *
 * <p>Most answers are plain: a head that arrived whole in one read, written in tokens and printable
 * ASCII with CRLF line ends, and framed by one {@code Content-Length} (or by a status or a HEAD
 * request that has no body). Those are parsed here in one pass over the bytes, and a line that
 * repeats one of the connection's earlier answers byte for byte gives back the field made for it
 * then ({@link RepeatedFields}). Jetty's parser walks a
 * case-insensitive trie of known fields for every header line, and was the largest part of the
 * gateway's own CPU time on the plain route. Every other answer (a head split over reads, a chunked
 * or close-delimited body, an interim 1xx answer, a folded line, a bare LF, bytes outside ASCII, a
 * second {@code Content-Length}, a {@code Transfer-Encoding} or {@code Host} field) goes to Jetty's
 * parser from its first byte: nothing is taken from the buffer before the head is known to be plain,
 * so the hardened parser decides every unusual case, as it did before this class.
 *
 * <p>One difference is deliberate: names and values are passed on as sent, where Jetty's parser
 * may hand on its own cached spelling of a common field in another case.
 */
final class AnswerParser {
    private static final int MAX_FIELDS = 64;

    private enum Quick { START, CONTENT, END }

    private final HttpParser.ResponseHandler handler;
    private final HttpParser jetty;
    private final int[] bounds = new int[4 * MAX_FIELDS];
    private final int[] knownSlots = new int[MAX_FIELDS];
    private final RepeatedFields repeated = new RepeatedFields();
    /** True from the first byte of an answer that Jetty's parser reads, until the next reset. */
    private boolean delegated;
    private Quick state = Quick.START;
    private long left;
    private boolean headResponse;
    private boolean eof;
    private boolean closed;

    AnswerParser(HttpParser.ResponseHandler handler, int maxHeadSize) {
        this.handler = handler;
        this.jetty = new HttpParser(handler, maxHeadSize);
        // Jetty's cache of repeated fields is a 96 KB table per connection from its second answer
        // on; connections are many and fields short, so making them anew costs less
        jetty.setHeaderCacheSize(0);
    }

    void setHeadResponse(boolean head) {
        headResponse = head;
        jetty.setHeadResponse(head);
    }

    /** Ready for the next answer; as Jetty's, a parser that saw its connection close stays closed. */
    void reset() {
        if (closed || jetty.isClose() || jetty.isClosed()) {
            return;
        }
        jetty.reset();
        delegated = false;
        state = Quick.START;
        left = 0;
    }

    void atEOF() {
        eof = true;
        jetty.atEOF();
    }

    /** Jetty's parser's state after an answer that ends its connection; the quick path leaves that to the handler. */
    boolean isClose() {
        return delegated && jetty.isClose();
    }

    boolean isClosed() {
        return delegated ? jetty.isClosed() : closed;
    }

    /** True when Jetty's parser reads the current answer. */
    boolean handedOn() {
        return delegated;
    }

    /** Parses what the buffer holds; true when the handler asked to stop for now. */
    boolean parseNext(ByteBuffer buffer) {
        if (delegated) {
            return jetty.parseNext(buffer);
        }
        return switch (state) {
            case START -> start(buffer);
            case CONTENT -> content(buffer);
            case END -> end(buffer);
        };
    }

    private boolean start(ByteBuffer buffer) {
        if (buffer.hasRemaining() ? plainHead(buffer) : !eof) {
            return state == Quick.CONTENT && handler.headerComplete();
        }
        delegated = true;
        return jetty.parseNext(buffer);
    }

    private boolean content(ByteBuffer buffer) {
        if (left == 0) {
            state = Quick.END;
            handler.contentComplete();
            return handler.messageComplete();
        }
        int remaining = buffer.remaining();
        if (remaining == 0) {
            if (eof) {
                state = Quick.END;
                closed = true;
                handler.earlyEOF();
            }
            return false;
        }
        ByteBuffer chunk = buffer.asReadOnlyBuffer();
        int taken = (int) Math.min(remaining, left);
        chunk.limit(chunk.position() + taken);
        buffer.position(buffer.position() + taken);
        left -= taken;
        if (handler.content(chunk)) {
            return true;
        }
        return left == 0 && content(buffer);
    }

    /** After an answer: Jetty's parser skips the line ends an upstream may send between answers. */
    private boolean end(ByteBuffer buffer) {
        while (buffer.hasRemaining() && (buffer.get(buffer.position()) == '\r' || buffer.get(buffer.position()) == '\n')) {
            buffer.get();
        }
        if (eof && !buffer.hasRemaining()) {
            closed = true;
        }
        return false;
    }

    /**
     * Parses a plain head (see the class comment) and tells the handler of it, leaving the buffer
     * after it; false, with the buffer and the handler untouched, for any other.
     */
    private boolean plainHead(ByteBuffer buffer) {
        if (!buffer.hasArray()) {
            return false;
        }
        byte[] bytes = buffer.array();
        int offset = buffer.arrayOffset();
        int end = offset + buffer.limit();
        int at = offset + buffer.position();
        // "HTTP/1.1 200 " and at least one CRLF for the status line and one for the head's end
        if (end - at < 17 || bytes[at] != 'H' || bytes[at + 1] != 'T' || bytes[at + 2] != 'T' || bytes[at + 3] != 'P'
                || bytes[at + 4] != '/' || bytes[at + 5] != '1' || bytes[at + 6] != '.' || bytes[at + 8] != ' '
                || bytes[at + 12] != ' ') {
            return false;
        }
        HttpVersion version = bytes[at + 7] == '1' ? HttpVersion.HTTP_1_1
                : bytes[at + 7] == '0' ? HttpVersion.HTTP_1_0 : null;
        int status = digit(bytes[at + 9]) * 100 + digit(bytes[at + 10]) * 10 + digit(bytes[at + 11]);
        if (version == null || status < 200 || status > 599) {
            return false;
        }
        int reasonStart = at + 13;
        at = lineEnd(bytes, reasonStart, end);
        if (at < 0) {
            return false;
        }
        int reasonEnd = at;
        at += 2;
        for (int i = reasonStart; i < reasonEnd; i++) {
            if (bytes[i] == '\t') {
                // Jetty's parser refuses a tab in the status line
                return false;
            }
        }
        while (reasonStart < reasonEnd && bytes[reasonStart] == ' ') {
            reasonStart++;
        }
        while (reasonEnd > reasonStart && bytes[reasonEnd - 1] == ' ') {
            reasonEnd--;
        }
        int count = 0;
        long contentLength = -1;
        while (true) {
            if (at + 1 >= end) {
                return false;
            }
            if (bytes[at] == '\r') {
                if (bytes[at + 1] != '\n') {
                    return false;
                }
                at += 2;
                break;
            }
            int nameStart = at;
            int hash = 0;
            byte lower;
            while (at < end && (lower = KnownNames.tokenLower(bytes[at])) != 0) {
                hash = KnownNames.step(hash, lower);
                at++;
            }
            if (at == nameStart || at >= end || bytes[at] != ':' || count == MAX_FIELDS) {
                return false;
            }
            int nameEnd = at++;
            while (at < end && (bytes[at] == ' ' || bytes[at] == '\t')) {
                at++;
            }
            int valueStart = at;
            at = lineEnd(bytes, valueStart, end);
            if (at < 0) {
                return false;
            }
            int valueEnd = at;
            while (valueEnd > valueStart && (bytes[valueEnd - 1] == ' ' || bytes[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            if (valueEnd == valueStart) {
                return false;
            }
            at += 2;
            int known = KnownNames.find(bytes, nameStart, nameEnd - nameStart, hash);
            HttpHeader header = KnownNames.header(known);
            if (header == HttpHeader.TRANSFER_ENCODING || header == HttpHeader.HOST) {
                return false;
            }
            if (header == HttpHeader.CONTENT_LENGTH) {
                if (contentLength >= 0) {
                    return false;
                }
                contentLength = length(bytes, valueStart, valueEnd);
                if (contentLength < 0) {
                    return false;
                }
            }
            knownSlots[count] = known;
            int slot = 4 * count++;
            bounds[slot] = nameStart;
            bounds[slot + 1] = nameEnd;
            bounds[slot + 2] = valueStart;
            bounds[slot + 3] = valueEnd;
        }
        boolean noBody = headResponse || status == 204 || status == 304;
        if (contentLength < 0 && !noBody) {
            // close-delimited: Jetty's parser reads it to the end
            return false;
        }
        handler.startResponse(version, status, reason(bytes, reasonStart, reasonEnd));
        for (int i = 0; i < count; i++) {
            int slot = 4 * i;
            int nameStart = bounds[slot];
            int lineEnd = bounds[slot + 3];
            HttpField field = repeated.get(i, bytes, nameStart, lineEnd);
            if (field == null) {
                String value = ascii(bytes, bounds[slot + 2], lineEnd);
                int known = knownSlots[i];
                HttpHeader header = KnownNames.header(known);
                // a known name as Jetty spells it is its constant; any other spelling is kept as sent
                String name = header != null && KnownNames.spelledAsJetty(known, bytes, nameStart) ? header.asString()
                        : ascii(bytes, nameStart, bounds[slot + 1]);
                field = new HttpField(header, name, value);
                repeated.put(i, bytes, nameStart, lineEnd, field);
            }
            handler.parsedHeader(field);
        }
        buffer.position(at - offset);
        left = noBody ? 0 : contentLength;
        state = Quick.CONTENT;
        return true;
    }

    /** The index of the CR of the CRLF ending a line of printable ASCII, spaces and tabs; -1 if none. */
    private static int lineEnd(byte[] bytes, int at, int end) {
        while (at < end) {
            byte b = bytes[at];
            if (b == '\r') {
                return at + 1 < end && bytes[at + 1] == '\n' ? at : -1;
            }
            if ((b < 0x20 && b != '\t') || b >= 0x7F) {
                // control bytes, DEL, and (as negative bytes) everything outside ASCII
                return -1;
            }
            at++;
        }
        return -1;
    }

    /** A Content-Length of up to 18 digits; -1 for anything else. */
    private static long length(byte[] bytes, int start, int end) {
        if (end - start > 18) {
            return -1;
        }
        long length = 0;
        for (int i = start; i < end; i++) {
            int digit = digit(bytes[i]);
            if (digit < 0) {
                return -1;
            }
            length = length * 10 + digit;
        }
        return length;
    }

    private static int digit(byte b) {
        return b >= '0' && b <= '9' ? b - '0' : -1000;
    }

    /** The reason phrase; the common one without making a string. */
    private static String reason(byte[] bytes, int start, int end) {
        if (end == start) {
            return null;
        }
        return end - start == 2 && bytes[start] == 'O' && bytes[start + 1] == 'K' ? "OK" : ascii(bytes, start, end);
    }

    private static String ascii(byte[] bytes, int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }
}
