package io.portico.plugins.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.core.config.ConfigException;
import io.portico.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Purging, the byte bounds, and configuration refused. */
class CachePurgeAndBoundsTest extends CacheTestSupport {
    private static final String TOKEN = "purge-me-please";

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private void stubAll() {
        backend.stubFor(get(urlPathMatching("/r/.*")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=600").withBody("cached")));
    }

    @Test
    void purgeWithTheToken_removesTheEntry_andWithoutItIsRefused() throws Exception {
        start("{ purge: { token-sha256: " + sha256(TOKEN) + " } }");
        stubAll();
        request("/r/a?x=1");
        assertEquals("HIT", xCache(request("/r/a?x=1")));

        HttpResponse<String> anonymous = send("PURGE", "/r/a?x=1");
        assertEquals(401, anonymous.statusCode());
        assertEquals("Bearer realm=\"cache-purge\"", anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertTrue(anonymous.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
        HttpResponse<String> wrong = send("PURGE", "/r/a?x=1", "Authorization", "Bearer not-it");
        assertEquals(403, wrong.statusCode());
        assertEquals("HIT", xCache(request("/r/a?x=1")), "a refused purge removes nothing");

        HttpResponse<String> purged = send("PURGE", "/r/a?x=1", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, purged.statusCode());
        assertEquals("{\"purged\":1}", purged.body());
        assertEquals("MISS", xCache(request("/r/a?x=1")));
        assertEquals(2, upstreamCalls(), "purge requests never reach the upstream");
    }

    @Test
    void purgeByPrefix_removesEveryPathUnderIt() throws Exception {
        start("{ purge: { token-sha256: " + sha256(TOKEN) + " } }");
        stubAll();
        request("/r/items/1");
        request("/r/items/2?page=3");
        request("/r/other");
        HttpResponse<String> purged = send("PURGE", "/r/items/", "Authorization", "Bearer " + TOKEN,
                "X-Purge-Prefix", "true");
        assertEquals("{\"purged\":2}", purged.body());
        assertEquals("MISS", xCache(request("/r/items/1")));
        assertEquals("MISS", xCache(request("/r/items/2?page=3")));
        assertEquals("HIT", xCache(request("/r/other")));
    }

    @Test
    void purgeByAllowedConsumer() throws Exception {
        start("{ purge: { allowed-consumers: [ops] } }");
        stubAll();
        request("/r/a");
        assertEquals(403, send("PURGE", "/r/a").statusCode());
        assertEquals(403, send("PURGE", "/r/a", "X-Consumer", "mallory").statusCode());
        assertEquals("{\"purged\":1}", send("PURGE", "/r/a", "X-Consumer", "ops").body());
        assertEquals("MISS", xCache(request("/r/a")));
    }

    @Test
    void anEntryStaysAcrossAReload_becauseTheStoreBelongsToThePlugin() throws Exception {
        start("{}");
        stubAll();
        request("/r/a");
        gateway.reload("""
                routes:
                  - id: cached-again
                    match: { paths: [/r/**] }
                    url: http://127.0.0.1:%d
                    plugins:
                      - name: cache
                        config: { max-entry-size: 2KB }
                """.formatted(backend.port()));
        assertEquals("HIT", xCache(request("/r/a")));
        assertEquals(1, upstreamCalls());
    }

    @Test
    void aBodyOverMaxEntrySize_streamsThroughWhole_andIsNotStored() throws Exception {
        start("{ max-entry-size: 10KB }");
        byte[] big = new byte[64 * 1024];
        Arrays.fill(big, (byte) 'b');
        backend.stubFor(get(urlEqualTo("/r/big")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=600").withBody(big)));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = request("/r/big");
            assertEquals("MISS", xCache(response));
            assertEquals(big.length, response.body().length());
        }
        assertEquals(2, upstreamCalls());
    }

    @Test
    void aChunkedBodyOfUnknownLength_overTheBound_isReplayedWhole_andNotStored() throws Exception {
        start("{ max-entry-size: 10KB }");
        String big = "c".repeat(40 * 1024);
        backend.stubFor(get(urlEqualTo("/r/chunked")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=600").withBody(big).withChunkedDribbleDelay(8, 50)));
        backend.stubFor(get(urlEqualTo("/r/small")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=600").withBody("tiny").withChunkedDribbleDelay(2, 20)));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = request("/r/chunked");
            assertEquals("MISS", xCache(response));
            assertEquals(big, response.body());
        }
        request("/r/small");
        HttpResponse<String> small = request("/r/small");
        assertEquals("HIT", xCache(small), "unknown length, but under the bound: stored");
        assertEquals("tiny", small.body());
    }

    @Test
    void theStoreIsBoundedInBytes() throws Exception {
        start("{ max-size: 100KB, max-entry-size: 40KB }");
        String body = "x".repeat(30 * 1024);
        backend.stubFor(get(urlPathMatching("/r/n/.*")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=600").withBody(body)));
        for (int i = 0; i < 10; i++) {
            request("/r/n/" + i);
        }
        int hits = 0;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> again = request("/r/n/" + i);
            assertEquals(body, again.body());
            hits += xCache(again).equals("HIT") ? 1 : 0;
        }
        assertTrue(hits <= 3, "at most three 30KB bodies fit in 100KB, yet " + hits + " were hits");
        assertTrue(hits >= 1, "what fits stays");
        assertTrue(upstreamCalls() >= 17);
    }

    @Test
    void anUnprotectedPurge_isAConfigErrorWithItsLine() {
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                routes:
                  - id: cached
                    match: { paths: [/r/**] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: cache
                        config:
                          purge: { methods: [PURGE] }
                """).filters(new CacheFactory()).start().close());
        assertTrue(error.getMessage().contains("routes[0].plugins[0].config.purge.allowed-consumers"), error.getMessage());
        assertTrue(error.getMessage().contains("line 8"), error.getMessage());
    }

    @Test
    void badValues_areConfigErrors() {
        assertRefused("{ statuses: [200, 206] }", "config.statuses", "206 cannot be stored");
        assertRefused("{ max-entry-size: 2MB, max-size: 1MB }", "config.max-entry-size", "must not be more than max-size");
        assertRefused("{ purge: { token-sha256: abc } }", "config.purge.token-sha256", "must be 64 hex digits");
        assertRefused("{ purge: { methods: [GET], allowed-consumers: [ops] } }", "config.purge.methods", "");
    }

    private static void assertRefused(String config, String path, String message) {
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                routes:
                  - id: cached
                    match: { paths: [/r/**] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: cache
                        config: %s
                """.formatted(config)).filters(new CacheFactory()).start().close());
        assertTrue(error.getMessage().contains("routes[0].plugins[0]." + path + ": plugin 'cache' on route 'cached': "
                + message), error.getMessage());
    }
}
