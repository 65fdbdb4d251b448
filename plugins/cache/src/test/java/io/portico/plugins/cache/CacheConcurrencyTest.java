package io.portico.plugins.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many requests at once for one key, and answers while the upstream is slow or failing. */
class CacheConcurrencyTest extends CacheTestSupport {

    private CompletableFuture<HttpResponse<String>> async(String path) {
        return client.sendAsync(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits (bounded) until the upstream has seen {@code count} requests. */
    private void awaitUpstreamCalls(int count) throws InterruptedException {
        for (int i = 0; i < 200 && upstreamCalls() < count; i++) {
            Thread.sleep(10);
        }
        assertEquals(count, upstreamCalls());
    }

    @Test
    void twentyConcurrentMisses_makeOneUpstreamCall() throws Exception {
        start("{}");
        backend.stubFor(get(urlEqualTo("/r/slow")).willReturn(aResponse().withFixedDelay(500)
                .withHeader("Cache-Control", "max-age=60").withBody("worth the wait")));
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(async("/r/slow"));
        }
        int misses = 0;
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("worth the wait", response.body());
            misses += xCache(response).equals("MISS") ? 1 : 0;
        }
        assertEquals(1, upstreamCalls());
        assertEquals(1, misses, "one fetched, the others were answered from what it stored");
    }

    @Test
    void waitersGoUpstreamThemselves_whenTheFetchIsNotStorable() throws Exception {
        start("{}");
        backend.stubFor(get(urlEqualTo("/r/private")).willReturn(aResponse().withFixedDelay(300)
                .withHeader("Cache-Control", "private").withBody("mine")));
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(async("/r/private"));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals("mine", answer.get(10, TimeUnit.SECONDS).body());
        }
        assertEquals(3, upstreamCalls());
    }

    @Test
    void staleIfError_servesTheStaleEntry_whenTheUpstreamFails_withinTheWindow() throws Exception {
        start("{}");
        backend.stubFor(get(urlEqualTo("/r/s")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=10, stale-if-error=60").withBody("last good")));
        request("/r/s");
        backend.stubFor(get(urlEqualTo("/r/s")).willReturn(aResponse().withStatus(503).withBody("down")));
        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> stale = request("/r/s");
        assertEquals(200, stale.statusCode());
        assertEquals("STALE", xCache(stale));
        assertEquals("last good", stale.body());
        assertEquals("30", stale.headers().firstValue("Age").orElseThrow());
        clock.advance(Duration.ofSeconds(41));
        HttpResponse<String> beyond = request("/r/s");
        assertEquals(503, beyond.statusCode());
        assertEquals(3, upstreamCalls());
    }

    @Test
    void staleIfError_alsoCoversAnUnreachableUpstream() throws Exception {
        start("{ stale-if-error: 1m }");
        backend.stubFor(get(urlEqualTo("/r/s")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=10").withBody("last good")));
        request("/r/s");
        backend.stop();
        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> stale = request("/r/s");
        assertEquals(200, stale.statusCode());
        assertEquals("STALE", xCache(stale));
        assertEquals("last good", stale.body());
        backend.start();
    }

    @Test
    void staleWhileRevalidate_servesStaleToOthers_whileOneRequestRefreshes() throws Exception {
        start("{}");
        backend.stubFor(get(urlEqualTo("/r/swr")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=10, stale-while-revalidate=60").withBody("v1")));
        request("/r/swr");
        clock.advance(Duration.ofSeconds(20));
        backend.stubFor(get(urlEqualTo("/r/swr")).willReturn(aResponse().withFixedDelay(1000)
                .withHeader("Cache-Control", "max-age=10, stale-while-revalidate=60").withBody("v2")));
        CompletableFuture<HttpResponse<String>> refresher = async("/r/swr");
        awaitUpstreamCalls(2);
        HttpResponse<String> meanwhile = request("/r/swr");
        assertEquals("STALE", xCache(meanwhile));
        assertEquals("v1", meanwhile.body());
        assertTrue(!refresher.isDone(), "answered while the refresh was still running");
        HttpResponse<String> refreshed = refresher.get(10, TimeUnit.SECONDS);
        assertEquals("EXPIRED", xCache(refreshed), "it found a stale entry and fetched a new one");
        assertEquals("v2", refreshed.body());
        HttpResponse<String> after = request("/r/swr");
        assertEquals("HIT", xCache(after));
        assertEquals("v2", after.body());
        assertEquals(2, upstreamCalls());
    }

    @Test
    void waitersGoUpstreamThemselves_afterTheCoalesceTimeout() throws Exception {
        start("{ coalesce-timeout: 100ms }");
        backend.stubFor(get(urlEqualTo("/r/slower")).willReturn(aResponse().withFixedDelay(1500)
                .withHeader("Cache-Control", "max-age=60").withBody("late")));
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(async("/r/slower"));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
            assertEquals("late", response.body());
            assertEquals("MISS", xCache(response));
        }
        assertEquals(3, upstreamCalls(), "none waited for the first beyond 100ms");
    }

    @Test
    void mustRevalidate_forbidsStaleAnswers_evenOnError() throws Exception {
        start("{ stale-if-error: 1m }");
        backend.stubFor(get(urlEqualTo("/r/strict")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=10, must-revalidate").withHeader("ETag", "\"s1\"").withBody("ok")));
        request("/r/strict");
        backend.stubFor(get(urlEqualTo("/r/strict")).willReturn(aResponse().withStatus(502)));
        clock.advance(Duration.ofSeconds(20));
        HttpResponse<String> failed = request("/r/strict");
        assertEquals(502, failed.statusCode());
    }
}
