package io.portico.core.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.Test;

/**
 * The answer parser against Jetty's: for plain answers, for every kind it hands on to Jetty's parser,
 * and for thousands of mutations of both, the handler hears the same calls with the same fields,
 * bodies and failures, whether the bytes come in one read or two.
 */
class AnswerParserTest {
    private static final int MAX_HEAD = 64 * 1024;

    private static final List<String> ANSWERS = List.of(
            "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Thu, 03 Dec 2026 13:11:45 GMT\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 10\r\nConnection: keep-alive\r\n\r\n0123456789",
            "HTTP/1.1 201 Created\r\ncontent-length: 3\r\nx-trace:  a b \t\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nabc",
            "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n",
            "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nContent-Length: 50\r\n\r\n",
            "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnopeHTTP/1.1 200 OK\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-Space : a\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
            "HTTP/1.1 200 OK\r\nX-Nul: a\u0000b\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-Latin: caf\u00e9\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-Empty:\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nHost: a\r\nHost: b\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok",
            "\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\rXok",
            "HTTP/1.1 200 OK\r\nX-Cr: a\rb\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\n: novalue\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-\u007f: del\r\nContent-Length: 2\r\n\r\nok",
            "");

    @Test
    void everyAnswerOfTheCorpus_inOneReadOrTwo_asAGetAndAsAHead() {
        int plain = 0;
        for (String answer : ANSWERS) {
            byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
            for (boolean head : new boolean[]{false, true}) {
                for (int at = 0; at <= bytes.length; at += at < 40 ? 1 : 7) {
                    int split = at;
                    List<String> jetty = jetty(bytes, split, head);
                    List<String> ours = ours(bytes, split, head);
                    assertEquals(jetty, ours, () -> "answer " + printable(answer) + " split at " + split
                            + (head ? " for a HEAD" : ""));
                }
                if (parsedQuickly(bytes, head)) {
                    plain++;
                }
            }
        }
        // the corpus holds both kinds: those the quick path takes, and those it hands on
        assertTrue(plain >= 16, "answers parsed without Jetty's parser: " + plain);
    }

    @Test
    void mutatedAnswers_getTheSameCallsAsFromJettysParser() {
        Random random = new Random(20261203);
        int compared = 0;
        int quick = 0;
        byte[] interesting = {' ', '\t', '\r', '\n', ':', 0, (byte) 0x80, (byte) 0xff, 'a', 'Z', '0', '9', ',', '"',
                '\u007f', '-', '+'};
        for (int round = 0; round < 20_000; round++) {
            // half of them from the first ten, the plain answers, so that many mutations stay plain
            String answer = ANSWERS.get(random.nextInt(random.nextBoolean() ? 10 : ANSWERS.size()));
            byte[] original = answer.getBytes(StandardCharsets.ISO_8859_1);
            byte[] bytes = mutate(original, random, interesting);
            boolean head = random.nextInt(4) == 0;
            int split = random.nextBoolean() ? bytes.length : random.nextInt(bytes.length + 1);
            List<String> jetty = jetty(bytes, split, head);
            List<String> ours = ours(bytes, split, head);
            String shown = printable(new String(bytes, StandardCharsets.ISO_8859_1));
            assertEquals(jetty, ours, () -> "answer " + shown + " split at " + split + (head ? " for a HEAD" : ""));
            compared++;
            if (parsedQuickly(bytes, head)) {
                quick++;
            }
        }
        assertTrue(quick > compared / 10, "mutations the quick path parsed itself: " + quick + " of " + compared);
    }

    @Test
    void oneParserForManyAnswers_asOnAKeptConnection_givesEachItsOwnFields() {
        // the parser reuses the fields of repeated lines: answers that differ by a byte here and
        // there must each get their own, through one parser, as from a fresh Jetty parser each
        Random random = new Random(7);
        AnswerParser parser = null;
        Recorder recorder = new Recorder();
        byte[] interesting = {' ', 'a', 'Z', '0', '9', '-', ':'};
        for (int round = 0; round < 5_000; round++) {
            String answer = ANSWERS.get(random.nextInt(4));
            byte[] original = answer.getBytes(StandardCharsets.ISO_8859_1);
            byte[] bytes = random.nextInt(3) == 0 ? original : mutate(original, random, interesting);
            // a connection whose answer failed, or did not end, or that closed, is not used again
            if (parser == null || !recorder.complete || recorder.failed || parser.isClosed() || parser.isClose()) {
                parser = new AnswerParser(recorder, MAX_HEAD);
            }
            recorder.events.clear();
            recorder.complete = false;
            recorder.failed = false;
            parser.reset();
            AnswerParser current = parser;
            List<String> ours = drive(recorder, current::parseNext, current::atEOF, bytes, bytes.length);
            List<String> jetty = jetty(bytes, bytes.length, false);
            String shown = printable(new String(bytes, StandardCharsets.ISO_8859_1));
            int number = round;
            assertEquals(jetty, List.copyOf(ours), () -> "answer " + number + ": " + shown);
        }
    }

    @Test
    void aFieldIsPassedOnAsSent_whereJettysParserMayUseItsCachedSpelling() {
        byte[] bytes = "HTTP/1.1 200 OK\r\nContent-Type: TEXT/PLAIN\r\ncontent-length: 2\r\n\r\nok"
                .getBytes(StandardCharsets.ISO_8859_1);
        Recorder recorder = new Recorder();
        drive(recorder, new AnswerParser(recorder, MAX_HEAD)::parseNext, () -> { }, bytes, bytes.length);
        assertEquals(List.of("Content-Type: TEXT/PLAIN (Content-Type)", "content-length: 2 (Content-Length)"),
                recorder.fields, "names and values as sent, known names still known");
    }

    @Test
    void severalAnswersOnOneConnection_eachAfterAReset() {
        byte[] bytes = ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc").getBytes(StandardCharsets.ISO_8859_1);
        Recorder jettyEvents = new Recorder();
        HttpParser jetty = new HttpParser(jettyEvents, MAX_HEAD);
        jetty.setHeaderCacheSize(0);
        Recorder ourEvents = new Recorder();
        AnswerParser ours = new AnswerParser(ourEvents, MAX_HEAD);
        ByteBuffer forJetty = ByteBuffer.wrap(bytes);
        ByteBuffer forUs = ByteBuffer.wrap(bytes);
        for (int answer = 0; answer < 3; answer++) {
            jettyEvents.complete = false;
            ourEvents.complete = false;
            for (int i = 0; i < 50 && !jettyEvents.complete; i++) {
                jetty.parseNext(forJetty);
            }
            for (int i = 0; i < 50 && !ourEvents.complete; i++) {
                ours.parseNext(forUs);
            }
            jetty.reset();
            ours.reset();
        }
        assertEquals(jettyEvents.events, ourEvents.events);
        assertEquals(3, ourEvents.events.stream().filter("messageComplete"::equals).count(), ourEvents.events.toString());
        assertTrue(ourEvents.events.contains("content b") && ourEvents.events.contains("content c"), ourEvents.events
                .toString());
    }

    private static boolean parsedQuickly(byte[] bytes, boolean head) {
        Recorder recorder = new Recorder();
        AnswerParser parser = new AnswerParser(recorder, MAX_HEAD);
        parser.setHeadResponse(head);
        try {
            parser.parseNext(ByteBuffer.wrap(bytes));
        } catch (AssertionError jettysAssertion) {
            return false;
        }
        return recorder.events.contains("headerComplete") && !parser.handedOn();
    }

    private static byte[] mutate(byte[] original, Random random, byte[] interesting) {
        List<Byte> bytes = new ArrayList<>();
        for (byte b : original) {
            bytes.add(b);
        }
        int edits = 1 + random.nextInt(3);
        for (int edit = 0; edit < edits; edit++) {
            int at = bytes.isEmpty() ? 0 : random.nextInt(bytes.size());
            byte value = interesting[random.nextInt(interesting.length)];
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (!bytes.isEmpty()) {
                        bytes.set(at, value);
                    }
                }
                case 1 -> bytes.add(at, value);
                case 2 -> {
                    if (!bytes.isEmpty()) {
                        bytes.remove(at);
                    }
                }
                default -> {
                    if (!bytes.isEmpty()) {
                        byte b = bytes.get(at);
                        bytes.set(at, (byte) (Character.isUpperCase(b) ? Character.toLowerCase(b)
                                : Character.toUpperCase(b)));
                    }
                }
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    private static List<String> jetty(byte[] bytes, int split, boolean head) {
        Recorder recorder = new Recorder();
        HttpParser parser = new HttpParser(recorder, MAX_HEAD);
        parser.setHeaderCacheSize(0);
        parser.setHeadResponse(head);
        return drive(recorder, parser::parseNext, parser::atEOF, bytes, split);
    }

    private static List<String> ours(byte[] bytes, int split, boolean head) {
        Recorder recorder = new Recorder();
        AnswerParser parser = new AnswerParser(recorder, MAX_HEAD);
        parser.setHeadResponse(head);
        return drive(recorder, parser::parseNext, parser::atEOF, bytes, split);
    }

    /**
     * Feeds the answer as a connection would: the first {@code split} bytes, more only once those are
     * all parsed, then the end of the stream; also how much of the buffer was left unparsed.
     */
    private static List<String> drive(Recorder recorder, java.util.function.Predicate<ByteBuffer> parse,
                                      Runnable atEOF, byte[] bytes, int split) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 16);
        buffer.put(bytes, 0, split).flip();
        boolean given = split == bytes.length;
        boolean eof = false;
        for (int i = 0; i < 200 && !recorder.complete && !recorder.failed; i++) {
            boolean stop;
            try {
                stop = parse.test(buffer);
            } catch (AssertionError jettysAssertion) {
                // Jetty's parser asserts on some bytes (tests run with -ea); ours must then have handed on too
                recorder.events.add("assertion " + jettysAssertion.getStackTrace()[1]);
                break;
            }
            if (stop || buffer.hasRemaining()) {
                continue;
            }
            if (!given) {
                buffer.clear();
                buffer.put(bytes, split, bytes.length - split).flip();
                given = true;
            } else if (!eof) {
                atEOF.run();
                eof = true;
            } else {
                break;
            }
        }
        recorder.events.add("left " + buffer.remaining());
        return recorder.events;
    }

    private static String printable(String answer) {
        return answer.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
    }

    /** Writes down every call, as the upstream connection would act on it. */
    private static final class Recorder implements HttpParser.ResponseHandler {
        final List<String> events = new ArrayList<>();
        final List<String> fields = new ArrayList<>();
        boolean complete;
        boolean failed;

        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
            events.add("start " + version + " " + status + " " + reason);
        }

        @Override
        public void parsedHeader(HttpField field) {
            fields.add(field.getName() + ": " + field.getValue() + " (" + field.getHeader() + ")");
            // Jetty's parser may give a common field in its own cached spelling: see the test above
            events.add(("field " + field.getName() + ": " + field.getValue()).toLowerCase(Locale.ROOT) + " ("
                    + field.getHeader() + ")");
        }

        @Override
        public boolean headerComplete() {
            events.add("headerComplete");
            return true;
        }

        @Override
        public boolean content(ByteBuffer item) {
            byte[] bytes = new byte[item.remaining()];
            item.get(bytes);
            events.add("content " + new String(bytes, StandardCharsets.ISO_8859_1));
            return true;
        }

        @Override
        public boolean contentComplete() {
            events.add("contentComplete");
            return false;
        }

        @Override
        public boolean messageComplete() {
            events.add("messageComplete");
            complete = true;
            return true;
        }

        @Override
        public void earlyEOF() {
            events.add("earlyEOF");
            failed = true;
        }

        @Override
        public void badMessage(HttpException failure) {
            events.add("bad " + failure.getCode() + " " + failure.getReason());
            failed = true;
        }
    }
}
