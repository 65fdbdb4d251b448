package io.portico.plugins.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** What is stored, for how long, and for whom. */
class CacheFreshnessTest extends CacheTestSupport {

    private void stub(String path, String cacheControl, String body) {
        backend.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Cache-Control", cacheControl).withHeader("Content-Type", "text/plain").withBody(body)));
    }

    @Test
    void aSecondGet_isAHitWithAnAge_andTheUpstreamIsCalledOnce() throws Exception {
        start("{}");
        stub("/r/a", "max-age=60", "alpha");
        HttpResponse<String> first = request("/r/a");
        assertEquals("MISS", xCache(first));
        assertEquals("alpha", first.body());
        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> second = request("/r/a");
        assertEquals(200, second.statusCode());
        assertEquals("HIT", xCache(second));
        assertEquals("alpha", second.body());
        assertEquals("5", second.headers().firstValue("Age").orElseThrow());
        assertEquals("text/plain", second.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(1, upstreamCalls());
    }

    @Test
    void overHttp2_theHostFromTheAuthorityKeysTheEntry() throws Exception {
        start("{}");
        stub("/r/h2", "max-age=60", "two");
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(gateway.uri("/r/h2")).build();
        // the first request upgrades the connection to h2c; the second travels as HTTP/2, without a Host header
        assertEquals("MISS", xCache(h2.send(request, HttpResponse.BodyHandlers.ofString())));
        HttpResponse<String> second = h2.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, second.version());
        assertEquals("HIT", xCache(second));
        assertEquals(1, upstreamCalls());
    }

    @Test
    void theQueryIsPartOfTheKey_inAnyOrder() throws Exception {
        start("{}");
        stub("/r/q", "max-age=60", "q");
        assertEquals("MISS", xCache(request("/r/q?b=2&a=1")));
        assertEquals("HIT", xCache(request("/r/q?a=1&b=2")));
        assertEquals("MISS", xCache(request("/r/q?a=1&b=3")));
        assertEquals(2, upstreamCalls());
    }

    @Test
    void afterMaxAge_anEntryWithoutValidatorIsGone_andFetchedAgain() throws Exception {
        start("{}");
        stub("/r/a", "max-age=60", "alpha");
        request("/r/a");
        clock.advance(Duration.ofSeconds(61));
        stub("/r/a", "max-age=60", "beta");
        HttpResponse<String> later = request("/r/a");
        assertEquals("MISS", xCache(later), "nothing could use it after expiry, so it was dropped");
        assertEquals("beta", later.body());
        assertEquals("HIT", xCache(request("/r/a")));
        assertEquals(2, upstreamCalls());
    }

    @Test
    void afterMaxAge_anEntryWithAValidatorIsRevalidated_andReplacedByANewVersion() throws Exception {
        start("{}");
        backend.stubFor(get(urlEqualTo("/r/a")).willReturn(aResponse().withHeader("Cache-Control", "max-age=60")
                .withHeader("ETag", "\"v1\"").withBody("alpha")));
        request("/r/a");
        clock.advance(Duration.ofSeconds(61));
        backend.stubFor(get(urlEqualTo("/r/a")).willReturn(aResponse().withHeader("Cache-Control", "max-age=60")
                .withHeader("ETag", "\"v2\"").withBody("beta")));
        HttpResponse<String> later = request("/r/a");
        assertEquals("EXPIRED", xCache(later));
        assertEquals("beta", later.body());
        backend.verify(getRequestedFor(urlEqualTo("/r/a")).withHeader("If-None-Match", equalTo("\"v1\"")));
        assertEquals("HIT", xCache(request("/r/a")));
        assertEquals(2, upstreamCalls());
    }

    @Test
    void head_isAnsweredFromTheStoredGet_butAHeadMissPassesThroughAsHead() throws Exception {
        start("{}");
        stub("/r/h", "max-age=60", "twelve bytes");
        backend.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlEqualTo("/r/h")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=60").withHeader("Content-Length", "12")));
        HttpResponse<String> headMiss = send("HEAD", "/r/h");
        assertEquals(200, headMiss.statusCode());
        assertEquals("MISS", xCache(headMiss));
        backend.verify(com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor(urlEqualTo("/r/h")));
        assertEquals("MISS", xCache(request("/r/h")), "a HEAD stores nothing");
        HttpResponse<String> headHit = send("HEAD", "/r/h");
        assertEquals("HIT", xCache(headHit));
        assertEquals("", headHit.body());
        assertEquals("12", headHit.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(2, upstreamCalls());
    }

    @Test
    void varyStoresOneVariantPerValue() throws Exception {
        start("{}");
        backend.stubFor(get(urlEqualTo("/r/v")).withHeader("Accept-Language", equalTo("en")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=60").withHeader("Vary", "Accept-Language").withBody("hello")));
        backend.stubFor(get(urlEqualTo("/r/v")).withHeader("Accept-Language", equalTo("fr")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=60").withHeader("Vary", "Accept-Language").withBody("bonjour")));
        assertEquals("MISS", xCache(request("/r/v", "Accept-Language", "en")));
        assertEquals("MISS", xCache(request("/r/v", "Accept-Language", "fr")));
        HttpResponse<String> english = request("/r/v", "Accept-Language", "en");
        HttpResponse<String> french = request("/r/v", "Accept-Language", "fr");
        assertEquals("HIT", xCache(english));
        assertEquals("hello", english.body());
        assertEquals("HIT", xCache(french));
        assertEquals("bonjour", french.body());
        assertEquals(2, upstreamCalls());
    }

    @Test
    void varyStar_isNeverStored() throws Exception {
        start("{}");
        backend.stubFor(get(urlEqualTo("/r/v")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=60").withHeader("Vary", "*").withBody("x")));
        request("/r/v");
        assertEquals("MISS", xCache(request("/r/v")));
        assertEquals(2, upstreamCalls());
    }

    @Test
    void noStore_andPrivate_areNotStored() throws Exception {
        start("{}");
        stub("/r/ns", "no-store, max-age=60", "x");
        stub("/r/p", "private, max-age=60", "y");
        request("/r/ns");
        request("/r/p");
        assertEquals("MISS", xCache(request("/r/ns")));
        assertEquals("MISS", xCache(request("/r/p")));
        assertEquals(4, upstreamCalls());
    }

    @Test
    void sMaxAge_winsOverMaxAge() throws Exception {
        start("{}");
        stub("/r/s", "max-age=1, s-maxage=100", "shared");
        request("/r/s");
        clock.advance(Duration.ofSeconds(50));
        assertEquals("HIT", xCache(request("/r/s")));
        clock.advance(Duration.ofSeconds(51));
        assertEquals("MISS", xCache(request("/r/s")));
        assertEquals(2, upstreamCalls());
    }

    @Test
    void expires_setsTheFreshness_whenNoMaxAge() throws Exception {
        start("{}");
        String expires = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(30).atZone(ZoneOffset.UTC));
        backend.stubFor(get(urlEqualTo("/r/e")).willReturn(aResponse().withHeader("Expires", expires).withBody("e")));
        request("/r/e");
        clock.advance(Duration.ofSeconds(20));
        assertEquals("HIT", xCache(request("/r/e")));
        clock.advance(Duration.ofSeconds(20));
        assertEquals("MISS", xCache(request("/r/e")));
        assertEquals(2, upstreamCalls());
    }

    @Test
    void withoutFreshnessInformation_onlyADefaultTtlStores() throws Exception {
        start("{ default-ttl: 10s }");
        backend.stubFor(get(urlEqualTo("/r/plain")).willReturn(aResponse().withBody("plain")));
        request("/r/plain");
        assertEquals("HIT", xCache(request("/r/plain")));
        clock.advance(Duration.ofSeconds(11));
        assertEquals("MISS", xCache(request("/r/plain")));
        gateway.close();
        gateway = null;
        backend.resetRequests();
        start("{}");
        request("/r/plain");
        assertEquals("MISS", xCache(request("/r/plain")));
        assertEquals(2, upstreamCalls());
    }

    @Test
    void onlyConfiguredStatusesAreStored() throws Exception {
        start("{ statuses: [200, 404] }");
        backend.stubFor(get(urlEqualTo("/r/gone")).willReturn(aResponse().withStatus(404)
                .withHeader("Cache-Control", "max-age=60").withBody("nothing")));
        backend.stubFor(get(urlEqualTo("/r/moved")).willReturn(aResponse().withStatus(302)
                .withHeader("Cache-Control", "max-age=60").withHeader("Location", "/elsewhere")));
        request("/r/gone");
        HttpResponse<String> gone = request("/r/gone");
        assertEquals(404, gone.statusCode());
        assertEquals("HIT", xCache(gone));
        request("/r/moved");
        assertEquals("MISS", xCache(request("/r/moved")));
        assertEquals(3, upstreamCalls());
    }

    @Test
    void setCookie_isNotStored_unlessStripped() throws Exception {
        start("{}");
        backend.stubFor(get(urlEqualTo("/r/c")).willReturn(aResponse().withHeader("Cache-Control", "max-age=60")
                .withHeader("Set-Cookie", "session=secret").withBody("c")));
        request("/r/c");
        assertEquals("MISS", xCache(request("/r/c")));
        assertEquals(2, upstreamCalls());
        gateway.close();
        backend.resetRequests();
        start("{ strip-set-cookie: true }");
        HttpResponse<String> first = request("/r/c");
        assertEquals("session=secret", first.headers().firstValue("Set-Cookie").orElseThrow(),
                "the client that caused the fetch still gets its cookie");
        HttpResponse<String> second = request("/r/c");
        assertEquals("HIT", xCache(second));
        assertFalse(second.headers().firstValue("Set-Cookie").isPresent(), "a cookie is never served to another client");
        assertEquals(1, upstreamCalls());
    }

    @Test
    void authenticatedRequests_bypassTheCache_unlessConfigured() throws Exception {
        start("{}");
        stub("/r/a", "max-age=60", "alpha");
        assertEquals("BYPASS", xCache(request("/r/a", "Authorization", "Bearer x")));
        assertEquals("BYPASS", xCache(request("/r/a", "X-Consumer", "alice")));
        assertEquals("MISS", xCache(request("/r/a")));
        assertEquals("BYPASS", xCache(request("/r/a", "Authorization", "Bearer x")), "and never served a stored answer");
        assertEquals(4, upstreamCalls());
    }

    @Test
    void perConsumer_keepsOneEntryPerConsumer() throws Exception {
        start("{ per-consumer: true, cache-authenticated: true }");
        backend.stubFor(get(urlEqualTo("/r/me")).withHeader("X-Consumer", equalTo("alice"))
                .willReturn(aResponse().withHeader("Cache-Control", "max-age=60").withBody("alice's")));
        backend.stubFor(get(urlEqualTo("/r/me")).withHeader("X-Consumer", equalTo("bob"))
                .willReturn(aResponse().withHeader("Cache-Control", "max-age=60").withBody("bob's")));
        request("/r/me", "X-Consumer", "alice");
        request("/r/me", "X-Consumer", "bob");
        HttpResponse<String> alice = request("/r/me", "X-Consumer", "alice");
        HttpResponse<String> bob = request("/r/me", "X-Consumer", "bob");
        assertEquals("HIT", xCache(alice));
        assertEquals("alice's", alice.body());
        assertEquals("HIT", xCache(bob));
        assertEquals("bob's", bob.body());
        assertEquals(2, upstreamCalls());
    }

    @Test
    void requestNoStore_bypasses_andRequestNoCache_revalidates() throws Exception {
        start("{}");
        stub("/r/a", "max-age=60", "alpha");
        request("/r/a");
        assertEquals("BYPASS", xCache(request("/r/a", "Cache-Control", "no-store")));
        HttpResponse<String> forced = request("/r/a", "Cache-Control", "no-cache");
        assertEquals("EXPIRED", xCache(forced), "no validator: fetched whole again");
        assertEquals(3, upstreamCalls());
    }

    @Test
    void aSuccessfulPost_invalidatesTheStoredResource() throws Exception {
        start("{}");
        stub("/r/a", "max-age=60", "alpha");
        backend.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/r/a"))
                .willReturn(aResponse().withStatus(204)));
        request("/r/a");
        assertEquals("HIT", xCache(request("/r/a")));
        assertEquals(204, send("POST", "/r/a").statusCode());
        assertEquals("MISS", xCache(request("/r/a")));
        assertTrue(backend.findAll(getRequestedFor(urlEqualTo("/r/a")).withHeader("If-None-Match", absent())).size() == 2);
    }
}
