package io.portico.plugins.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Conditional requests, both ways: clients against the cache, and the cache against the upstream. */
class CacheRevalidationTest extends CacheTestSupport {
    private static final String MODIFIED = "Wed, 31 Dec 2025 12:00:00 GMT";

    private void stubVersioned() {
        backend.stubFor(get(urlEqualTo("/r/doc")).willReturn(aResponse().withHeader("Cache-Control", "max-age=10")
                .withHeader("ETag", "\"v1\"").withHeader("Last-Modified", MODIFIED).withBody("document")));
    }

    @Test
    void ifNoneMatch_thatMatches_isAnswered304FromTheCache() throws Exception {
        start("{}");
        stubVersioned();
        request("/r/doc");
        HttpResponse<String> conditional = request("/r/doc", "If-None-Match", "\"v0\", W/\"v1\"");
        assertEquals(304, conditional.statusCode());
        assertEquals("HIT", xCache(conditional));
        assertEquals("\"v1\"", conditional.headers().firstValue("ETag").orElseThrow());
        assertEquals("", conditional.body());
        // a 304's Content-Length is the stored body's, if it says one: never the 0 of its own empty body
        assertTrue(conditional.headers().firstValue("Content-Length").map("8"::equals).orElse(true),
                conditional.headers().map().toString());
        HttpResponse<String> other = request("/r/doc", "If-None-Match", "\"v0\"");
        assertEquals(200, other.statusCode());
        assertEquals("document", other.body());
        assertEquals(1, upstreamCalls());
    }

    @Test
    void ifModifiedSince_notBeforeLastModified_isAnswered304FromTheCache() throws Exception {
        start("{}");
        stubVersioned();
        request("/r/doc");
        assertEquals(304, request("/r/doc", "If-Modified-Since", MODIFIED).statusCode());
        assertEquals(200, request("/r/doc", "If-Modified-Since", "Tue, 30 Dec 2025 12:00:00 GMT").statusCode());
        assertEquals(1, upstreamCalls());
    }

    @Test
    void aClientsConditionalMiss_fillsTheCacheWithTheWholeResponse_andStillGets304() throws Exception {
        start("{}");
        stubVersioned();
        HttpResponse<String> first = request("/r/doc", "If-None-Match", "\"v1\"");
        assertEquals(304, first.statusCode());
        assertEquals("MISS", xCache(first));
        backend.verify(getRequestedFor(urlEqualTo("/r/doc")).withHeader("If-None-Match", absent()));
        HttpResponse<String> plain = request("/r/doc");
        assertEquals("HIT", xCache(plain));
        assertEquals("document", plain.body());
    }

    @Test
    void aStaleEntry_isRevalidatedWithItsValidators_andA304RefreshesIt() throws Exception {
        start("{}");
        stubVersioned();
        request("/r/doc");
        clock.advance(Duration.ofSeconds(11));
        backend.stubFor(get(urlEqualTo("/r/doc")).withHeader("If-None-Match", equalTo("\"v1\""))
                .withHeader("If-Modified-Since", equalTo(MODIFIED))
                .willReturn(aResponse().withStatus(304).withHeader("Cache-Control", "max-age=30")
                        .withHeader("ETag", "\"v1\"")));
        HttpResponse<String> revalidated = request("/r/doc");
        assertEquals(200, revalidated.statusCode());
        assertEquals("REVALIDATED", xCache(revalidated));
        assertEquals("document", revalidated.body());
        assertEquals("max-age=30", revalidated.headers().firstValue("Cache-Control").orElseThrow(),
                "the 304's fields replace the stored ones");
        clock.advance(Duration.ofSeconds(20));
        HttpResponse<String> hit = request("/r/doc");
        assertEquals("HIT", xCache(hit), "the new max-age counts from the revalidation");
        assertEquals("20", hit.headers().firstValue("Age").orElseThrow());
        assertEquals(2, upstreamCalls());
    }

    @Test
    void noCacheResponses_areStored_butRevalidatedEveryTime() throws Exception {
        start("{}");
        backend.stubFor(get(urlEqualTo("/r/nc")).willReturn(aResponse().withHeader("Cache-Control", "no-cache")
                .withHeader("ETag", "\"n1\"").withBody("always ask")));
        backend.stubFor(get(urlEqualTo("/r/nc")).withHeader("If-None-Match", equalTo("\"n1\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"n1\"")));
        assertEquals("MISS", xCache(request("/r/nc")));
        HttpResponse<String> second = request("/r/nc");
        assertEquals("REVALIDATED", xCache(second));
        assertEquals("always ask", second.body());
        assertEquals(2, upstreamCalls());
    }

    @Test
    void aRequestWithNoCache_revalidatesAFreshEntry() throws Exception {
        start("{}");
        stubVersioned();
        request("/r/doc");
        backend.stubFor(get(urlEqualTo("/r/doc")).withHeader("If-None-Match", equalTo("\"v1\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"v1\"")));
        HttpResponse<String> forced = request("/r/doc", "Cache-Control", "no-cache");
        assertEquals("REVALIDATED", xCache(forced));
        assertTrue(forced.body().equals("document"));
        assertEquals(2, upstreamCalls());
    }
}
