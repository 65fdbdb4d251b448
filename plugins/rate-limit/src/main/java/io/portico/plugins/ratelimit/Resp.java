package io.portico.plugins.ratelimit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis' wire protocol (RESP2), the part a client of scripts needs: commands out as arrays of bulk
 * strings, and every reply type in. A reply that has not fully arrived is read again, whole, when
 * more bytes have come; replies here are a few dozen bytes.
 */
final class Resp {
    /** What {@link #read} gives when the buffer does not hold a whole reply yet. */
    static final Object INCOMPLETE = new Object();

    /** An error reply ({@code -ERR ...}, {@code -NOSCRIPT ...}): a whole answer, the connection stays usable. */
    record ErrorReply(String message) {
    }

    private Resp() {
    }

    /** The command with these arguments, ready to send. */
    static ByteBuffer command(String name, List<String> arguments) {
        List<byte[]> parts = new ArrayList<>(arguments.size() + 1);
        parts.add(name.getBytes(StandardCharsets.US_ASCII));
        int size = 16;
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            parts.add(bytes);
            size += bytes.length + 16;
        }
        size += parts.get(0).length + 16;
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) '*');
        putNumber(out, parts.size());
        for (byte[] part : parts) {
            out.put((byte) '$');
            putNumber(out, part.length);
            out.put(part).put((byte) '\r').put((byte) '\n');
        }
        return out.flip();
    }

    private static void putNumber(ByteBuffer out, long number) {
        out.put(Long.toString(number).getBytes(StandardCharsets.US_ASCII)).put((byte) '\r').put((byte) '\n');
    }

    /**
     * Reads one reply from the buffer's position: a {@code String} (simple or bulk), a {@code Long},
     * a {@code List} of replies, {@code null} (a null bulk string or array), or an {@link ErrorReply}.
     * When the buffer does not hold the whole reply, gives {@link #INCOMPLETE} and leaves the
     * position where it was.
     *
     * @throws IllegalStateException when the bytes are not RESP: the connection is out of step
     */
    static Object read(ByteBuffer in) {
        int start = in.position();
        Object reply = readAt(in);
        if (reply == INCOMPLETE) {
            in.position(start);
        }
        return reply;
    }

    private static Object readAt(ByteBuffer in) {
        if (!in.hasRemaining()) {
            return INCOMPLETE;
        }
        byte type = in.get();
        if (type == '+' || type == '-') {
            String line = line(in);
            if (line == null) {
                return INCOMPLETE;
            }
            return type == '+' ? line : new ErrorReply(line);
        }
        int before = in.position();
        long number = number(in);
        if (in.position() == before) {
            return INCOMPLETE;
        }
        return switch (type) {
            case ':' -> number;
            case '$' -> bulk(in, Math.toIntExact(number));
            case '*' -> array(in, Math.toIntExact(number));
            default -> throw new IllegalStateException("not a RESP reply: type byte " + (type & 0xff));
        };
    }

    /**
     * The number up to the next CRLF, the position after it; when no CRLF has come yet, 0 with the
     * position unmoved (a whole number moves it at least past the CRLF).
     */
    private static long number(ByteBuffer in) {
        int i = in.position();
        boolean negative = i < in.limit() && in.get(i) == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        for (; i < in.limit(); i++) {
            byte b = in.get(i);
            if (b == '\r') {
                if (i + 1 >= in.limit()) {
                    return 0;
                }
                if (in.get(i + 1) != '\n') {
                    throw new IllegalStateException("a RESP number does not end in CRLF");
                }
                in.position(i + 2);
                return negative ? -value : value;
            }
            if (b < '0' || b > '9') {
                throw new IllegalStateException("not a RESP number: byte " + (b & 0xff));
            }
            // past a long's range is not RESP: ArithmeticException, and the connection is dropped
            value = Math.addExact(Math.multiplyExact(value, 10), b - '0');
        }
        return 0;
    }

    private static Object bulk(ByteBuffer in, int length) {
        if (length < 0) {
            return null;
        }
        if (in.remaining() < (long) length + 2) {
            return INCOMPLETE;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        if (in.get() != '\r' || in.get() != '\n') {
            throw new IllegalStateException("a RESP bulk string does not end in CRLF");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Object array(ByteBuffer in, int count) {
        if (count < 0) {
            return null;
        }
        // the count is the peer's word: grow as items come rather than trust it with memory
        List<Object> items = new ArrayList<>(Math.min(count, 16));
        for (int i = 0; i < count; i++) {
            Object item = readAt(in);
            if (item == INCOMPLETE) {
                return INCOMPLETE;
            }
            items.add(item);
        }
        return items;
    }

    /** The text up to the next CRLF, the position after it; null when no CRLF has come yet. */
    private static String line(ByteBuffer in) {
        int from = in.position();
        for (int i = from; i + 1 < in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
                byte[] bytes = new byte[i - from];
                in.get(bytes);
                in.position(i + 2);
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
