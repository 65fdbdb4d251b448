package io.portico.core.routing;

import static io.portico.core.routing.TestRoutes.found;
import static io.portico.core.routing.TestRoutes.methodNotAllowed;
import static io.portico.core.routing.TestRoutes.notFound;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.api.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Correctness with many routes; how fast is the benchmark's business, never a test's. */
class RouterScaleTest {
    private static final int ROUTES = 100_000;
    private static Router<String> router;

    /**
     * Per i: an exact path, a template, a prefix with a method, a host-bound route, and a
     * wildcard-host route, cycling; plus catch-alls declared first so that they never win by order.
     */
    @BeforeAll
    static void compile() {
        List<RouteSpec<String>> routes = new ArrayList<>(ROUTES + 2);
        routes.add(spec("root", List.of(), List.of("/**"), Set.of()));
        routes.add(spec("svc-any", List.of(), List.of("/svc/**"), Set.of()));
        for (int i = 0; routes.size() < ROUTES; i++) {
            routes.add(switch (i % 5) {
                case 0 -> spec("exact-" + i, List.of(), List.of("/svc/" + i + "/status"), Set.of());
                case 1 -> spec("template-" + i, List.of(), List.of("/svc/" + i + "/items/{item}"), Set.of());
                case 2 -> spec("prefix-" + i, List.of(), List.of("/svc/" + i + "/**"), Set.of("GET", "HEAD"));
                case 3 -> spec("host-" + i, List.of("h" + i + ".example.com"), List.of("/svc/" + i + "/x"), Set.of());
                default -> spec("wild-" + i, List.of("*.t" + i + ".example.com"), List.of("/svc/{n}/y"), Set.of());
            });
        }
        router = Router.compile(routes);
    }

    private static RouteSpec<String> spec(String id, List<String> hosts, List<String> paths, Set<String> methods) {
        return new RouteSpec<>(id, hosts, paths, methods, List.of(), List.of(), id);
    }

    private static RouteMatch<String> match(String host, String method, String path) {
        return router.match(host, method, path, Headers.empty(), null);
    }

    @Test
    void compilesEveryRoute() {
        assertEquals(ROUTES, router.size());
    }

    @Test
    void everyGeneratedRoute_isFoundForItsOwnRequest() {
        Random random = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            int i = random.nextInt(ROUTES - 2);
            switch (i % 5) {
                case 0 -> found(match(null, "GET", "/svc/" + i + "/status"), "exact-" + i);
                case 1 -> assertEquals(Map.of("item", "k" + i),
                        found(match(null, "GET", "/svc/" + i + "/items/k" + i), "template-" + i).pathVariables());
                case 2 -> assertEquals("/svc/" + i,
                        found(match(null, "GET", "/svc/" + i + "/a/b"), "prefix-" + i).matchedPrefix());
                case 3 -> found(match("h" + i + ".example.com:443", "GET", "/svc/" + i + "/x"), "host-" + i);
                default -> assertEquals(Map.of("n", "anything"),
                        found(match("a.t" + i + ".example.com", "GET", "/svc/anything/y"), "wild-" + i).pathVariables());
            }
        }
    }

    @Test
    void lessSpecificRoutes_stillCatchWhatTheSpecificOnesMiss() {
        found(match(null, "GET", "/svc/0/other"), "svc-any");
        found(match(null, "GET", "/elsewhere"), "root");
        found(match("h3.example.com", "GET", "/svc/3/other"), "svc-any");
        found(match("t4.example.com", "GET", "/svc/x/y"), "svc-any");
        found(match(null, "POST", "/svc/2/a"), "svc-any");
    }

    @Test
    void methodNotAllowed_isFoundAmongManyRoutes() {
        Router<String> strict = Router.compile(List.of(
                spec("a", List.of(), List.of("/only/{x}"), Set.of("GET")),
                spec("b", List.of(), List.of("/other/**"), Set.of())));
        methodNotAllowed(strict.match(null, "POST", "/only/1", null, null), "GET");
        notFound(strict.match(null, "POST", "/nothing", null, null));
    }
}
