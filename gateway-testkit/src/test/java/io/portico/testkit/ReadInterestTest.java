package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bytes that come while the gateway is not reading (a request sent while the last is with the
 * upstream, a body in pieces) are still read, and waiting for them never makes the selector spin:
 * the cases where SparingEndPoint keeps a socket registered for reading, or skips a read.
 */
class ReadInterestTest {
    static WireMockServer backend;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        backend.stubFor(get(urlEqualTo("/slow")).willReturn(aResponse().withBody("slow-body").withFixedDelay(800)));
        backend.stubFor(get(urlEqualTo("/fast")).willReturn(aResponse().withBody("fast-body")));
        backend.stubFor(post(urlEqualTo("/upload")).willReturn(aResponse().withBody("stored")));
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: all
                    url: ${BACKEND}
                """).env("BACKEND", Backends.url(backend)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        Backends.stop(gateway, backend);
    }

    @Test
    void aRequestSentWhileTheLastIsHandled_isAnsweredInTurn_andNothingSpins() throws Exception {
        try (Socket socket = RawHttp.connect(gateway.port())) {
            RawHttp.send(socket, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread.sleep(200);
            long cpuBefore = javaThreadsCpu();
            // the next request comes while the first is with the upstream: a read event nobody waits for
            RawHttp.send(socket, "GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
            String answers = RawHttp.readUntil(socket, "fast-body");
            long cpuMillis = (javaThreadsCpu() - cpuBefore) / 1_000_000;

            assertTrue(answers.indexOf("slow-body") > 0 && answers.indexOf("slow-body") < answers.indexOf("fast-body"),
                    answers);
            assertEquals(2, answers.split("HTTP/1.1 200", -1).length - 1, answers);
            // a selector that kept being told of those bytes would burn the whole wait (~600 ms)
            assertTrue(cpuMillis < 300, "the gateway's threads used " + cpuMillis + " ms of CPU while waiting for the upstream");
        }
    }

    @Test
    void aBodyArrivingInPieces_reachesTheUpstreamWhole() throws Exception {
        try (Socket socket = RawHttp.connect(gateway.port())) {
            RawHttp.send(socket, "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 30000\r\n\r\n");
            for (char piece = 'a'; piece <= 'c'; piece++) {
                Thread.sleep(100);
                RawHttp.send(socket, String.valueOf(piece).repeat(10_000));
            }
            String answer = RawHttp.readUntil(socket, "stored");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        byte[] received = backend.findAll(postRequestedFor(urlEqualTo("/upload"))).getFirst().getBody();
        assertEquals("a".repeat(10_000) + "b".repeat(10_000) + "c".repeat(10_000),
                new String(received, StandardCharsets.ISO_8859_1));
    }

    /** CPU time of the process's Java threads (not the JIT's or the GC's), in nanoseconds. */
    private static long javaThreadsCpu() {
        var threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            total += Math.max(0, threads.getThreadCpuTime(id));
        }
        return total;
    }
}
