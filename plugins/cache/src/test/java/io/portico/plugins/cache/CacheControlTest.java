package io.portico.plugins.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.api.Headers;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheControlTest {

    @Test
    void directivesAreReadAcrossFields_caseInsensitively_withQuotedArguments() {
        CacheControl control = CacheControl.parse(List.of("Public, MAX-AGE=\"60\"", "s-maxage=120 , stale-if-error=30"));
        assertTrue(control.isPublic());
        assertEquals(60, control.maxAge());
        assertEquals(120, control.sharedMaxAge());
        assertEquals(30, control.staleIfError());
        assertEquals(-1, control.staleWhileRevalidate());
        assertFalse(control.noStore());
    }

    @Test
    void anUnreadableMaxAge_meansStale_andAHugeOneMeansVeryLong() {
        assertEquals(0, CacheControl.parse(List.of("max-age=soon")).maxAge());
        assertEquals(Integer.MAX_VALUE, CacheControl.parse(List.of("max-age=99999999999999999999")).maxAge());
        assertEquals(-1, CacheControl.parse(List.of("stale-while-revalidate=x")).staleWhileRevalidate());
    }

    @Test
    void proxyRevalidate_countsAsMustRevalidate() {
        assertTrue(CacheControl.parse(List.of("proxy-revalidate")).mustRevalidate());
        assertTrue(CacheControl.parse(List.of("no-cache=\"Set-Cookie\"")).noCache());
    }

    @Test
    void varyNames_areLowerCaseSortedAndDistinct_andValuesMatchAsSent() {
        assertEquals(List.of("accept", "accept-encoding"), Variants.namesOf(List.of("Accept-Encoding, accept", "ACCEPT")));
        List<String> names = Variants.namesOf(List.of("Accept-Language"));
        List<String> english = Variants.valuesOf(names, Headers.of("Accept-Language", "en"));
        List<String> none = Variants.valuesOf(names, Headers.empty());
        assertFalse(english.equals(none));
        assertEquals(List.of(), Variants.valuesOf(List.of(), Headers.of("Accept-Language", "en")));
    }

    @Test
    void queryParametersAreSorted_soTheirOrderDoesNotSplitTheKey() {
        assertEquals("a=1&b=2&c", PrimaryKey.sortedQuery("c&b=2&a=1"));
        assertEquals("", PrimaryKey.sortedQuery(null));
        assertEquals("x=1", PrimaryKey.sortedQuery("x=1"));
    }
}
