package io.portico.plugins.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis' wire protocol as the event-loop client reads and writes it. */
class RespTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commandsGoOutAsArraysOfBulkStrings_inUtf8() {
        ByteBuffer command = Resp.command("EVALSHA", List.of("abc", "1", "kéy"));
        assertEquals("*4\r\n$7\r\nEVALSHA\r\n$3\r\nabc\r\n$1\r\n1\r\n$4\r\nkéy\r\n",
                StandardCharsets.UTF_8.decode(command).toString());
    }

    @Test
    void everyReplyType_andTheRateLimitScriptsAnswer() {
        ByteBuffer in = bytes("+OK\r\n-NOSCRIPT No matching script\r\n:-42\r\n$5\r\nhello\r\n$-1\r\n*-1\r\n"
                + "*6\r\n:1\r\n:0\r\n:0\r\n:0\r\n:999\r\n:1000\r\n*2\r\n*1\r\n:7\r\n$0\r\n\r\n");
        assertEquals("OK", Resp.read(in));
        assertEquals(new Resp.ErrorReply("NOSCRIPT No matching script"), Resp.read(in));
        assertEquals(-42L, Resp.read(in));
        assertEquals("hello", Resp.read(in));
        assertNull(Resp.read(in));
        assertNull(Resp.read(in));
        assertEquals(List.of(1L, 0L, 0L, 0L, 999L, 1000L), Resp.read(in));
        assertEquals(List.of(List.of(7L), ""), Resp.read(in));
        assertSame(Resp.INCOMPLETE, Resp.read(in));
    }

    @Test
    void aReplyCutAnywhereIsIncomplete_untilItsLastByte_andThePositionStaysAtItsStart() {
        String reply = "*3\r\n:1\r\n$3\r\nabc\r\n*1\r\n:-5\r\n";
        for (int cut = 0; cut < reply.length(); cut++) {
            ByteBuffer partial = bytes(reply.substring(0, cut));
            assertSame(Resp.INCOMPLETE, Resp.read(partial), "cut after " + cut + " bytes");
            assertEquals(0, partial.position(), "cut after " + cut + " bytes");
        }
        ByteBuffer whole = bytes(reply + "+next\r\n");
        assertEquals(Arrays.asList(1L, "abc", List.of(-5L)), Resp.read(whole));
        assertEquals("next", Resp.read(whole));
    }

    @Test
    void bytesThatAreNotRespAreRefused() {
        assertThrows(IllegalStateException.class, () -> Resp.read(bytes("?what\r\n")));
        assertThrows(IllegalStateException.class, () -> Resp.read(bytes(":12x\r\n")));
        assertThrows(IllegalStateException.class, () -> Resp.read(bytes(":12\rx")));
        assertThrows(ArithmeticException.class, () -> Resp.read(bytes(":99999999999999999999\r\n")));
    }
}
