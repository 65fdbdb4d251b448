package io.portico.benchmarks;

import io.portico.api.Headers;
import io.portico.core.routing.HeaderCondition;
import io.portico.core.routing.QueryCondition;
import io.portico.core.routing.RouteMatch;
import io.portico.core.routing.RouteSpec;
import io.portico.core.routing.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Router#match} at 10 to 100,000 routes. The goal: 100,000 routes cost at most twice
 * what 10 cost.
 *
 * <p>Routes come in ten shapes per service {@code s}, as a real configuration has them: exact
 * health paths, prefixes with and without methods, one- and two-variable templates, a route with a
 * header condition, one with a query condition, an exact host and a wildcard host. Each invocation
 * matches the next of 1,024 prepared requests that hit routes spread over the whole table; one in
 * 32 is a 404 and one in 32 a 405 (both walk the tries twice).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouterBenchmark {
    private static final int REQUESTS = 1024;

    @Param({"10", "1000", "10000", "100000"})
    public int routes;

    private Router<String> router;
    private Request[] requests;
    private int next;

    private record Request(String host, String method, String path, Headers headers, String query) {
    }

    @Setup(Level.Trial)
    public void setUp() {
        List<RouteSpec<String>> specs = new ArrayList<>(routes);
        for (int i = 0; i < routes; i++) {
            specs.add(route(i));
        }
        router = Router.compile(specs);

        Random random = new Random(7);
        requests = new Request[REQUESTS];
        for (int r = 0; r < REQUESTS; r++) {
            int i = random.nextInt(routes);
            requests[r] = switch (r % 32) {
                case 15 -> notFound(i);
                case 31 -> methodNotAllowed(i);
                default -> request(i, random);
            };
        }
        for (Request request : requests) {
            RouteMatch<String> match = router.match(request.host(), request.method(), request.path(),
                    request.headers(), request.query());
            boolean expected = request.path().startsWith("/nope/") ? match instanceof RouteMatch.NotFound
                    : request.method().equals("PUT") ? match instanceof RouteMatch.MethodNotAllowed
                    : match instanceof RouteMatch.Found;
            if (!expected) {
                throw new AssertionError(request + " gave " + match);
            }
        }
    }

    /** Route {@code i}: service {@code s = i / 10}, shape {@code i % 10}. */
    private static RouteSpec<String> route(int i) {
        int s = i / 10;
        String base = "/api/v1/svc" + s;
        String id = "r" + i;
        return switch (i % 10) {
            case 0 -> spec(id, List.of(), List.of(base + "/health"), Set.of(), List.of(), List.of());
            case 1 -> spec(id, List.of(), List.of(base + "/**"), Set.of(), List.of(), List.of());
            case 2 -> spec(id, List.of(), List.of(base + "/users/{id}"), Set.of("GET", "PUT", "DELETE"),
                    List.of(), List.of());
            case 3 -> spec(id, List.of(), List.of(base + "/orders/{orderId}/items/{itemId}"), Set.of("GET"),
                    List.of(), List.of());
            case 4 -> spec(id, List.of(), List.of(base + "/orders/**"), Set.of("POST"), List.of(), List.of());
            case 5 -> spec(id, List.of(), List.of(base + "/reports/{year}/**"), Set.of(),
                    List.of(HeaderCondition.equalTo("X-Tenant", "t" + s)), List.of());
            case 6 -> spec(id, List.of(), List.of(base + "/search"), Set.of("GET"), List.of(),
                    List.of(QueryCondition.present("q")));
            case 7 -> spec(id, List.of("svc" + s + ".example.com"), List.of("/**"), Set.of(), List.of(), List.of());
            case 8 -> spec(id, List.of("*.tenant" + s + ".example.com"), List.of("/app/**"), Set.of(),
                    List.of(), List.of());
            default -> spec(id, List.of(), List.of("/static/svc" + s + "/**"), Set.of("GET", "HEAD"), List.of(),
                    List.of());
        };
    }

    private static Request request(int i, Random random) {
        int s = i / 10;
        String base = "/api/v1/svc" + s;
        int n = random.nextInt(100_000);
        String host = "gateway.example.com";
        Headers none = Headers.of("Accept", "application/json", "User-Agent", "bench/1.0");
        return switch (i % 10) {
            case 0 -> new Request(host, "GET", base + "/health", none, null);
            case 1 -> new Request(host, "GET", base + "/things/" + n, none, null);
            case 2 -> new Request(host, "GET", base + "/users/" + n, none, null);
            case 3 -> new Request(host, "GET", base + "/orders/" + n + "/items/" + (n % 7), none, null);
            case 4 -> new Request(host, "POST", base + "/orders/" + n, none, null);
            case 5 -> new Request(host, "GET", base + "/reports/2025/q" + (n % 4),
                    Headers.of("Accept", "application/json", "X-Tenant", "t" + s), null);
            case 6 -> new Request(host, "GET", base + "/search", none, "q=shoes&page=2");
            case 7 -> new Request("svc" + s + ".example.com:443", "GET", "/v2/items/" + n, none, null);
            case 8 -> new Request("eu.tenant" + s + ".example.com", "GET", "/app/dashboard", none, null);
            default -> new Request(host, "GET", "/static/svc" + s + "/css/site.css", none, null);
        };
    }

    /** A request that no route takes: 404. */
    private static Request notFound(int i) {
        return new Request("nowhere.example.org", "GET", "/nope/svc" + (i / 10) + "/x", Headers.empty(), null);
    }

    /** A request on a static route with a method it does not allow: 405. */
    private static Request methodNotAllowed(int i) {
        return new Request("gateway.example.com", "PUT", "/static/svc" + (i / 10) + "/x.css", Headers.empty(), null);
    }

    private static RouteSpec<String> spec(String id, List<String> hosts, List<String> paths, Set<String> methods,
                                          List<HeaderCondition> headers, List<QueryCondition> query) {
        return new RouteSpec<>(id, hosts, paths, methods, headers, query, id);
    }

    @Benchmark
    public RouteMatch<String> match() {
        Request request = requests[next++ & (REQUESTS - 1)];
        return router.match(request.host(), request.method(), request.path(), request.headers(),
                request.query());
    }
}
