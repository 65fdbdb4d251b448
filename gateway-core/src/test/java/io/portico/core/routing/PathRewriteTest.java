package io.portico.core.routing;

import static io.portico.core.routing.TestRoutes.found;
import static io.portico.core.routing.TestRoutes.get;
import static io.portico.core.routing.TestRoutes.route;
import static io.portico.core.routing.TestRoutes.router;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathRewriteTest {

    /** Matches {@code path} against one route with {@code pattern} and applies {@code rewrite}. */
    private static String rewrite(String pattern, PathRewrite rewrite, String path) {
        Router<String> router = router(route("r").paths(pattern));
        return rewrite.apply(path, found(get(router, null, path), "r"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/api/orders/1, /orders/1",
            "/api/orders/, /orders/",
            "/api, /",
            "/api/, /",
    })
    void stripPrefix_removesThePrefix_andLeavesAtLeastASlash(String path, String upstream) {
        assertEquals(upstream, rewrite("/api/**", PathRewrite.of("/api", null), path));
    }

    @Test
    void stripPrefix_worksOnlyOnASegmentBoundary() {
        PathRewrite strip = PathRewrite.of("/api", null);
        assertEquals("/apiary/x", rewrite("/**", strip, "/apiary/x"));
        assertEquals("/other", rewrite("/**", strip, "/other"));
    }

    @Test
    void stripPrefix_ignoresATrailingSlash_andSlashStripsNothing() {
        assertEquals("/orders", rewrite("/api/**", PathRewrite.of("/api/", null), "/api/orders"));
        assertEquals("/orders", rewrite("/**", PathRewrite.of("/", null), "/orders"));
    }

    @Test
    void stripPrefix_canBeLongerThanTheMatchedPrefix() {
        assertEquals("/1", rewrite("/api/**", PathRewrite.of("/api/orders", null), "/api/orders/1"));
    }

    @Test
    void rewrite_insertsPathVariables() {
        PathRewrite rewrite = PathRewrite.of(null, "/v2/users/{id}/profile");
        assertEquals("/v2/users/42/profile", rewrite("/users/{id}", rewrite, "/users/42"));
    }

    @Test
    void rewrite_canReorderAndRepeatVariables() {
        PathRewrite rewrite = PathRewrite.of(null, "/{b}/{a}/{a}-x");
        assertEquals("/2/1/1-x", rewrite("/p/{a}/{b}", rewrite, "/p/1/2"));
    }

    @Test
    void rewrite_restPlaceholder_standsForWhatDoubleStarMatched() {
        PathRewrite rewrite = PathRewrite.of(null, "/internal/{**}");
        assertEquals("/internal/orders/1", rewrite("/api/**", rewrite, "/api/orders/1"));
        assertEquals("/internal/", rewrite("/api/**", rewrite, "/api"));
    }

    @Test
    void rewrite_endingInDoubleStar_appendsTheRest_orNothing() {
        PathRewrite rewrite = PathRewrite.of(null, "/v2/{id}/**");
        assertEquals("/v2/7/a/b", rewrite("/users/{id}/files/**", rewrite, "/users/7/files/a/b"));
        assertEquals("/v2/7", rewrite("/users/{id}/files/**", rewrite, "/users/7/files"));
    }

    @Test
    void rewrite_fromRootCatchAll_keepsTheWholePath() {
        assertEquals("/base/a/b", rewrite("/**", PathRewrite.of(null, "/base/**"), "/a/b"));
        assertEquals("/", rewrite("/**", PathRewrite.of(null, "/**"), "/"));
    }

    @Test
    void noRewrite_keepsThePath() {
        assertEquals("/a/b", rewrite("/a/**", PathRewrite.of(null, null), "/a/b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2/{id}", "/v2/{id", "/v2/id}", "/v2/*", "/v2/**/x", "/v2/{a b}"})
    void badTemplate_isRejected(String template) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> PathRewrite.of(null, template));
        assertTrue(error.getMessage().startsWith("rewrite '" + template + "'"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "/api/{x}", "/api/**", "/a//b"})
    void badStripPrefix_isRejected(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> PathRewrite.of(prefix, null));
    }

    @Test
    void stripPrefixAndRewriteTogether_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> PathRewrite.of("/api", "/v2/**"));
    }

    @Test
    void validateFor_rejectsAVariableThatSomePathDoesNotBind() {
        RouteSpec<String> spec = route("users").paths("/users/{id}", "/people/{name}").spec();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PathRewrite.of(null, "/v2/{id}").validateFor(spec));
        assertTrue(error.getMessage().startsWith("route 'users': rewrite '/v2/{id}' uses {id}"), error.getMessage());
        assertTrue(error.getMessage().contains("/people/{name}"), error.getMessage());
    }

    @Test
    void validateFor_rejectsTheRestWhenAPathHasNoDoubleStar() {
        RouteSpec<String> spec = route("users").paths("/users/{id}").spec();
        assertThrows(IllegalArgumentException.class, () -> PathRewrite.of(null, "/v2/**").validateFor(spec));
        assertThrows(IllegalArgumentException.class, () -> PathRewrite.of(null, "/v2/{**}").validateFor(spec));
    }

    @Test
    void validateFor_acceptsWhatEveryPathBinds() {
        RouteSpec<String> spec = route("users").paths("/users/{id}/**", "/people/{id}/**").spec();
        PathRewrite.of(null, "/v2/{id}/**").validateFor(spec);
        PathRewrite.of("/users", null).validateFor(spec);
        PathRewrite.of(null, "/v2/**").validateFor(route("all").spec());
    }

    @Test
    void apply_namesTheRouteWhenAVariableIsMissing() {
        RouteMatch.Found<String> match = new RouteMatch.Found<>(RouteSpec.of("r", List.of("/a"), "r"), Map.of(), "/a");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PathRewrite.of(null, "/{id}").apply("/a", match));
        assertTrue(error.getMessage().contains("route 'r'"), error.getMessage());
    }
}
