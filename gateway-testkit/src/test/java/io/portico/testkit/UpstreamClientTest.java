package io.portico.testkit;

import static io.portico.testkit.ScriptedUpstream.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own HTTP/1.1 client, against an upstream that answers byte for byte as scripted:
 * keep-alive, every way an answer's end is told (length, chunks, close, none for HEAD/204/304),
 * interim answers, upstreams that close or break the protocol, and request bodies of both framings.
 */
class UpstreamClientTest {
    final HttpClient client = Backends.client();

    static TestGateway gateway(ScriptedUpstream upstream) throws Exception {
        return gateway(upstream.url(), "read-timeout: 3s");
    }

    /** A gateway whose one route goes to the upstream at {@code url}, with these upstream settings. */
    static TestGateway gateway(String url, String settings) throws Exception {
        return TestGateway.builder().yaml("""
                upstreams:
                  scripted:
                    targets: [{ url: "${UPSTREAM}" }]
                    %s
                routes:
                  - id: all
                    upstream: scripted
                """.formatted(settings)).env("UPSTREAM", url).start();
    }

    HttpResponse<String> send(TestGateway gateway, String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static ScriptedUpstream.Script fixed(String answer) {
        return (request, out) -> {
            write(out, answer);
            return true;
        };
    }

    @Test
    void keepAlive_carriesSequentialRequests_overOneConnection() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> fixed(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
             TestGateway gateway = gateway(upstream)) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = send(gateway, "GET", "/n" + i);
                assertEquals(200, response.statusCode());
                assertEquals("hello", response.body());
            }
            assertEquals(1, upstream.connections());
            assertEquals("/n19", upstream.received().get(19).target());
        }
    }

    @Test
    void chunkedAnswer_arrivingInPieces_isRelayedWhole_andTheConnectionKept() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> (r, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            sleep(50);
            write(out, "1\r\n \r\n");
            sleep(50);
            write(out, "5\r\nworld\r\n0\r\n\r\n");
            return true;
        }); TestGateway gateway = gateway(upstream)) {
            assertEquals("hello world", send(gateway, "GET", "/a").body());
            assertEquals("hello world", send(gateway, "GET", "/b").body());
            assertEquals(1, upstream.connections());
        }
    }

    @Test
    void answerEndedByClose_isRelayedWhole_andTheNextRequestConnectsAnew() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> (r, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
            return false;
        }); TestGateway gateway = gateway(upstream)) {
            assertEquals("until the end", send(gateway, "GET", "/a").body());
            assertEquals("until the end", send(gateway, "GET", "/b").body());
            assertEquals(2, upstream.connections());
        }
        // the same without the header: the end of the stream alone ends the connection too
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> (r, out) -> {
            write(out, "HTTP/1.1 200 OK\r\n\r\nuntil the end");
            return false;
        }); TestGateway gateway = gateway(upstream)) {
            assertEquals("until the end", send(gateway, "POST", "/a").body());
            assertEquals("until the end", send(gateway, "POST", "/b").body());
            assertEquals(2, upstream.connections());
        }
    }

    @Test
    void connectionClose_andHttp10_endTheConnection_evenWhenTheUpstreamLingers() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> (r, out) -> {
            write(out, request.target().equals("/old") ? "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"
                    : "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            // a request sent on this connection now would never be read
            sleep(300);
            return false;
        }); TestGateway gateway = gateway(upstream)) {
            assertEquals("ok", send(gateway, "POST", "/a").body());
            assertEquals("ok", send(gateway, "POST", "/old").body());
            assertEquals("ok", send(gateway, "POST", "/b").body());
            assertEquals(3, upstream.connections());
        }
    }

    @Test
    void answersWithoutBody_headAnd204And304_endAtTheirHeaders_andKeepTheConnection() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> switch (request.target()) {
            case "/no-content" -> fixed("HTTP/1.1 204 No Content\r\n\r\n");
            case "/not-modified" -> fixed("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 42\r\n\r\n");
            default -> fixed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
        }); TestGateway gateway = gateway(upstream)) {
            HttpResponse<String> head = send(gateway, "HEAD", "/head");
            assertEquals(200, head.statusCode());
            assertEquals("100", head.headers().firstValue("Content-Length").orElseThrow());
            assertEquals(204, send(gateway, "GET", "/no-content").statusCode());
            HttpResponse<String> notModified = send(gateway, "GET", "/not-modified");
            assertEquals(304, notModified.statusCode());
            assertEquals("\"v1\"", notModified.headers().firstValue("ETag").orElseThrow());
            assertEquals(1, upstream.connections());
        }
    }

    @Test
    void keepAliveTimeout_closesAnIdleConnection_beforeTheUpstreamWould() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> fixed(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             TestGateway gateway = gateway(upstream.url(), "keep-alive-timeout: 300ms")) {
            assertEquals("ok", send(gateway, "GET", "/a").body());
            long answered = System.nanoTime();
            assertEquals("ok", send(gateway, "GET", "/b").body());
            assertEquals(1, upstream.connections(), "kept while in use");
            while (upstream.openConnections() > 0 && System.nanoTime() - answered < 10_000_000_000L) {
                Thread.sleep(20);
            }
            long idled = (System.nanoTime() - answered) / 1_000_000;
            assertEquals(0, upstream.openConnections(), "the gateway closed the idle connection");
            assertTrue(idled >= 250 && idled < 5_000, "closed after about 300 ms, not the default 60 s: " + idled + " ms");
            assertEquals("ok", send(gateway, "GET", "/c").body());
            assertEquals(2, upstream.connections());
        }
    }

    @Test
    void interimAnswers_100And103_areSkipped_forTheFinalOne() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> fixed(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone"));
             TestGateway gateway = gateway(upstream)) {
            HttpResponse<String> response = send(gateway, "POST", "/create");
            assertEquals(201, response.statusCode());
            assertEquals("done", response.body());
            assertEquals("done", send(gateway, "POST", "/again").body());
            assertEquals(1, upstream.connections());
        }
    }

    @Test
    void upstreamClosingAnIdleConnection_doesNotFailTheNextRequest() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> fixed(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             TestGateway gateway = gateway(upstream)) {
            assertEquals("ok", send(gateway, "GET", "/a").body());
            upstream.closeConnections();
            Thread.sleep(100);
            assertEquals("ok", send(gateway, "GET", "/b").body());
            assertEquals("ok", send(gateway, "POST", "/c").body());
            assertEquals(2, upstream.connections());
        }
    }

    @Test
    void keptConnectionClosedAsTheRequestArrives_isTriedAgainOnANewOne_forIdempotentRequestsOnly() throws Exception {
        // the upstream takes a second request on a connection and closes it unanswered, as one whose
        // keep-alive time-out ran out that moment does
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> request.onConnection() == 1
                ? (r, out) -> false
                : fixed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             TestGateway gateway = gateway(upstream)) {
            assertEquals("ok", send(gateway, "GET", "/a").body());
            assertEquals("ok", send(gateway, "GET", "/b").body());
            assertEquals(2, upstream.connections());
            // a POST may have had its effect: it is not sent twice
            assertEquals(502, send(gateway, "POST", "/c").statusCode());
            assertEquals(1, upstream.received().stream().filter(r -> r.target().equals("/c")).count());
        }
    }

    @Test
    void brokenStatusLine_is502Problem() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> (r, out) -> {
            write(out, "HTTP/1.1 2x0 Fine\r\n\r\n");
            return false;
        }); TestGateway gateway = gateway(upstream)) {
            HttpResponse<String> response = send(gateway, "POST", "/x");
            assertEquals(502, response.statusCode());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(response.body().contains("request_id") || response.body().contains("requestId"), response.body());
        }
    }

    @Test
    void answerBrokenOff_beforeItsFirstBodyByte_is502Or504Problem_underTheRequestsId() throws Exception {
        // the client has nothing yet (the headers go out with the first bytes), so it can still be told
        java.nio.file.Path accessLog = Files.createTempFile("portico-broken-off", ".log");
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> (r, out) -> {
            switch (request.target()) {
                case "/closed" -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
                case "/bad-chunk" -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n");
                default -> {
                    write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
                    sleep(1500);
                }
            }
            return false;
        }); TestGateway gateway = TestGateway.builder().yaml("""
                server:
                  access-log: { path: "${ACCESS_LOG}" }
                upstreams:
                  scripted:
                    targets: [{ url: "${UPSTREAM}" }]
                    read-timeout: 500ms
                    passive: { consecutive-failures: 100, ejection: 1s }
                routes:
                  - id: all
                    upstream: scripted
                """).env("UPSTREAM", upstream.url()).env("ACCESS_LOG", accessLog.toString()).start()) {
            // Jetty's error handling writes a page only for GET, POST and HEAD: every method gets the problem
            for (String[] request : new String[][]{{"GET", "/closed"}, {"GET", "/bad-chunk"}, {"GET", "/silent"},
                    {"DELETE", "/closed"}, {"PURGE", "/closed"}, {"OPTIONS", "/bad-chunk"}}) {
                String path = request[1];
                HttpResponse<String> response = send(gateway, request[0], path);
                int status = path.equals("/silent") ? 504 : 502;
                assertEquals(status, response.statusCode(), request[0] + " " + path + ": " + response.body());
                assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
                String code = path.equals("/silent") ? "UPSTREAM_TIMEOUT" : "UPSTREAM_BROKE_OFF";
                assertTrue(response.body().contains("\"code\":\"" + code + "\""), response.body());
                List<String> ids = response.headers().allValues("X-Request-Id");
                assertEquals(1, ids.size(), "one request id: " + ids);
                String id = ids.get(0);
                assertTrue(response.body().contains("\"request_id\":\"" + id + "\""), response.body());
                // the access log has the one line of that request, under that id, with that status
                String key = "\"request_id\":\"" + id + "\"";
                List<String> lines = AccessLogLines.containing(accessLog, key);
                assertEquals(1, lines.size(), path + ": " + lines);
                assertTrue(lines.get(0).contains("\"status\":" + status + ","), lines.get(0));
            }
        } finally {
            Files.deleteIfExists(accessLog);
        }
    }

    @Test
    void aNotModifiedAnswer_keepsItsContentLength_andGetsNoneWhenItHadNone() throws Exception {
        // a 304's Content-Length is the stored body's: a 0 made up on the way would tell a cache it is empty
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> fixed(request.target().equals("/sized")
                ? "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 1234\r\n\r\n"
                : "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n"));
             TestGateway gateway = gateway(upstream)) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> unsized = send(gateway, "GET", "/unsized");
                assertEquals(304, unsized.statusCode());
                assertEquals("\"v1\"", unsized.headers().firstValue("ETag").orElseThrow());
                assertEquals(Optional.empty(), unsized.headers().firstValue("Content-Length"));
                HttpResponse<String> sized = send(gateway, "GET", "/sized");
                assertEquals(304, sized.statusCode());
                assertEquals("1234", sized.headers().firstValue("Content-Length").orElseThrow());
            }
        }
    }

    @Test
    void answerCutShort_afterItsHeaders_endsTheClientsAnswerShortToo() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> (r, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
            return false;
        }); TestGateway gateway = gateway(upstream)) {
            // the client must not take a short body for the whole: its connection ends before 100 bytes
            assertThrows(IOException.class, () -> send(gateway, "GET", "/x"));
        }
    }

    @Test
    void requestBodies_withLength_chunked_andExpectContinue_arriveWhole_withoutExpect() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> fixed(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             TestGateway gateway = gateway(upstream)) {
            client.send(HttpRequest.newBuilder(gateway.uri("/length"))
                    .POST(HttpRequest.BodyPublishers.ofString("sized body")).build(), HttpResponse.BodyHandlers.ofString());
            client.send(HttpRequest.newBuilder(gateway.uri("/chunked"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                            "streamed body".getBytes()))).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> continued = client.send(HttpRequest.newBuilder(gateway.uri("/expect")).expectContinue(true)
                    .POST(HttpRequest.BodyPublishers.ofString("after continue")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, continued.statusCode());

            ScriptedUpstream.Received sized = upstream.received().get(0);
            assertEquals("sized body", sized.body());
            assertEquals("10", sized.headers().get("content-length"));
            ScriptedUpstream.Received chunked = upstream.received().get(1);
            assertEquals("streamed body", chunked.body());
            assertEquals("chunked", chunked.headers().get("transfer-encoding"));
            ScriptedUpstream.Received expected = upstream.received().get(2);
            assertEquals("after continue", expected.body());
            assertFalse(expected.headers().containsKey("expect"));
            assertEquals(1, upstream.connections());
        }
    }

    @Test
    void aConnectionThatCarriedABody_isFreeAgain_beforeTheClientHasItsAnswer() throws Exception {
        // the body's end comes from the client after its last bytes; the upstream may answer in
        // between, and the next request must still find the connection idle, not open another
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> fixed(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             TestGateway gateway = gateway(upstream)) {
            for (int i = 0; i < 200; i++) {
                byte[] body = ("body " + i).getBytes(StandardCharsets.US_ASCII);
                // every fourth one streamed, so sent chunked: its end is a chunk the gateway writes
                HttpRequest.BodyPublisher publisher = i % 4 == 3
                        ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body);
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/n" + i))
                        .POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("ok", response.body());
            }
            assertEquals("body 198", upstream.received().get(198).body());
            assertEquals("8", upstream.received().get(198).headers().get("content-length"));
            assertEquals("body 199", upstream.received().get(199).body());
            assertEquals("chunked", upstream.received().get(199).headers().get("transfer-encoding"));
            assertEquals(1, upstream.connections());
        }
    }

    @Test
    void earlyAnswerToAnUpload_reachesTheClient_andIsNoFailure_whenTheRestOfTheUploadCannotGo() throws Exception {
        // an upstream that answers 413 after the head, stops reading, and closes: the gateway's
        // upload then fails, after the answer came
        try (ServerSocket refusing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestGateway gateway = gateway("http://127.0.0.1:" + refusing.getLocalPort(),
                     "passive: { consecutive-failures: 1, ejection: 1m }")) {
            Thread.ofVirtual().start(() -> refuseUploads(refusing));
            for (int i = 0; i < 2; i++) {
                try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                    socket.setSoTimeout(10_000);
                    long length = 64L * 1024 * 1024;   // under the 100 MB limit, far over the sockets' buffers
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: " + length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    Thread uploader = Thread.ofVirtual().start(() -> {
                        byte[] chunk = new byte[64 * 1024];
                        try {
                            for (long sent = 0; sent < length; sent += chunk.length) {
                                out.write(chunk);
                            }
                        } catch (IOException expected) {
                            // the gateway stops taking the upload once it has answered
                        }
                    });
                    BufferedReader in = new BufferedReader(new InputStreamReader(
                            socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    String status = in.readLine();
                    assertTrue(status.startsWith("HTTP/1.1 413 "), "round " + i + ": " + status);
                    while (!in.readLine().isEmpty()) {
                        // the headers
                    }
                    char[] body = new char[8];
                    assertEquals(8, in.read(body));
                    assertEquals("too big!", new String(body), "the upstream's own answer, round " + i);
                    uploader.interrupt();
                }
            }
            // had the failed upload counted against the target, one failure would have ejected it
            HttpResponse<String> after = client.send(HttpRequest.newBuilder(gateway.uri("/small"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, after.statusCode(), after.body());
            assertEquals("too big!", after.body());
        }
    }

    @Test
    void aClientsBodyThatEndsEarly_orPassesTheLimit_isTheClientsFault_notTheTargets() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> fixed(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             TestGateway gateway = TestGateway.builder().yaml("""
                     upstreams:
                       scripted:
                         targets: [{ url: "${UPSTREAM}" }]
                         passive: { consecutive-failures: 1, ejection: 1m }
                     routes:
                       - id: all
                         upstream: scripted
                         max-body-size: 1KB
                     """).env("UPSTREAM", upstream.url()).start()) {
            StringBuilder tooLarge = new StringBuilder("POST /large HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 4; i++) {
                tooLarge.append("200\r\n").append("b".repeat(512)).append("\r\n");
            }
            String refused = RawHttp.exchange(gateway.port(), tooLarge.append("0\r\n\r\n").toString());
            assertTrue(refused.startsWith("HTTP/1.1 413 "), refused);

            try (Socket socket = RawHttp.connect(gateway.port())) {
                // a tenth of the body the head announces, then the client stops sending
                RawHttp.send(socket, "POST /short HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789");
                socket.shutdownOutput();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
                assertTrue(answer.contains("\"code\":\"BODY_INCOMPLETE\""), answer);
            }

            // either, counted against the target, would have ejected it
            HttpResponse<String> after = send(gateway, "GET", "/after");
            assertEquals(200, after.statusCode(), after.body());
        }
    }

    @Test
    void aClientThatPausesItsUpload_isWaitedFor_andOneThatStalls_gets408_neitherTheTargetsFault() throws Exception {
        // the upstream's read timeout is shorter than the client's pause: the upstream is silent only
        // because it waits for the rest of the body, which the gateway waits for too
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> fixed(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
             TestGateway gateway = TestGateway.builder().yaml("""
                     server:
                       limits: { idle-timeout: 1500ms }
                     upstreams:
                       scripted:
                         targets: [{ url: "${UPSTREAM}" }]
                         read-timeout: 300ms
                         passive: { consecutive-failures: 1, ejection: 1m }
                     routes:
                       - id: all
                         upstream: scripted
                     """).env("UPSTREAM", upstream.url()).start()) {
            try (Socket socket = RawHttp.connect(gateway.port())) {
                RawHttp.send(socket, "POST /paused HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello");
                sleep(900);
                RawHttp.send(socket, "world");
                String answer = RawHttp.answer(socket);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
                assertTrue(answer.endsWith("\r\n\r\nok"), answer);
            }
            assertEquals("helloworld", upstream.received().get(0).body());

            try (Socket socket = RawHttp.connect(gateway.port())) {
                // half the body, then nothing for longer than the client's idle timeout
                RawHttp.send(socket, "POST /stalled HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello");
                String answer = RawHttp.answer(socket);
                assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
                assertTrue(answer.contains("application/problem+json"), answer);
                assertTrue(answer.contains("\"code\":\"BODY_TIMEOUT\""), answer);
                String id = answer.substring(answer.indexOf("X-Request-Id: ") + 14, answer.indexOf("\r\n",
                        answer.indexOf("X-Request-Id: ")));
                assertTrue(answer.contains("\"request_id\":\"" + id + "\""), answer);
            }

            // had either counted against the target, one failure would have ejected it
            HttpResponse<String> after = send(gateway, "GET", "/after");
            assertEquals(200, after.statusCode(), after.body());
        }
    }

    @Test
    void aClientsBodyBreakingOff_afterTheUpstreamsHeaders_is400_notTheUpstreamsFault() throws Exception {
        // the upstream sends its headers on the request's head alone, then waits for the body,
        // which the client breaks off: the client's fault, though the upstream had begun to answer
        try (ServerSocket early = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestGateway gateway = gateway("http://127.0.0.1:" + early.getLocalPort(),
                     "passive: { consecutive-failures: 1, ejection: 1m }")) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = early.accept()) {
                    readHead(socket.getInputStream());
                    write(socket.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
                    socket.getInputStream().readAllBytes();
                } catch (IOException closed) {
                    // the gateway gave up the exchange
                }
            });
            try (Socket socket = RawHttp.connect(gateway.port())) {
                RawHttp.send(socket, "POST /early HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789");
                sleep(300);
                socket.shutdownOutput();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
                assertTrue(answer.contains("\"code\":\"BODY_INCOMPLETE\""), answer);
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** Reads each request's head, answers 413 at once, reads no body, and closes a moment later. */
    private static void refuseUploads(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                readHead(socket.getInputStream());
                socket.getOutputStream().write(("HTTP/1.1 413 Content Too Large\r\nContent-Length: 8\r\n"
                        + "Connection: close\r\n\r\ntoo big!").getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                sleep(300);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
