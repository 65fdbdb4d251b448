package io.portico.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.portico.api.Headers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds routes whose payload is their id, and asserts on what a router finds. */
final class TestRoutes {
    private TestRoutes() {
    }

    static Builder route(String id) {
        return new Builder(id);
    }

    static Router<String> router(Builder... routes) {
        return Router.compile(Arrays.stream(routes).map(Builder::spec).toList());
    }

    /** A GET without headers or query. */
    static RouteMatch<String> get(Router<String> router, String host, String path) {
        return router.match(host, "GET", path, Headers.empty(), null);
    }

    static RouteMatch.Found<String> found(RouteMatch<String> match, String expectedId) {
        if (!(match instanceof RouteMatch.Found<String> found)) {
            return fail("expected route " + expectedId + ", got " + match);
        }
        assertEquals(expectedId, found.route().id(), () -> "route for " + match);
        assertEquals(expectedId, found.route().target());
        return found;
    }

    static void notFound(RouteMatch<String> match) {
        assertInstanceOf(RouteMatch.NotFound.class, match, () -> "expected 404, got " + match);
    }

    static void methodNotAllowed(RouteMatch<String> match, String... allowed) {
        if (!(match instanceof RouteMatch.MethodNotAllowed<String> notAllowed)) {
            fail("expected 405, got " + match);
            return;
        }
        assertEquals(List.of(allowed), List.copyOf(notAllowed.allowed()));
    }

    static final class Builder {
        private final String id;
        private final List<String> hosts = new ArrayList<>();
        private final List<String> paths = new ArrayList<>();
        private final Set<String> methods = new LinkedHashSet<>();
        private final List<HeaderCondition> headers = new ArrayList<>();
        private final List<QueryCondition> query = new ArrayList<>();

        private Builder(String id) {
            this.id = id;
        }

        Builder hosts(String... values) {
            hosts.addAll(List.of(values));
            return this;
        }

        Builder paths(String... values) {
            paths.addAll(List.of(values));
            return this;
        }

        Builder methods(String... values) {
            methods.addAll(List.of(values));
            return this;
        }

        Builder header(HeaderCondition condition) {
            headers.add(condition);
            return this;
        }

        Builder query(QueryCondition condition) {
            query.add(condition);
            return this;
        }

        RouteSpec<String> spec() {
            return new RouteSpec<>(id, hosts, paths, methods, headers, query, id);
        }
    }
}
