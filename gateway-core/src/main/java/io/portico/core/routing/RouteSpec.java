package io.portico.core.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One route's matching rules, as declared in YAML, in file order.
 *
 * <p>A request matches the route when it matches one of the {@code hosts} (or there are none),
 * one of the {@code paths}, one of the {@code methods} (or there are none), and every header and
 * query condition. The patterns are checked by {@link Router#compile}, which names this route's
 * {@code id} in its error.
 *
 * <ul>
 *   <li>{@code hosts}: exact ({@code api.example.com}) or wildcard ({@code *.example.com}: any
 *       subdomain, at least one label deep, never {@code example.com} itself). Compared without
 *       regard to ASCII case; a {@code :port} in the request's host is ignored. Empty: any host.
 *   <li>{@code paths}: exact ({@code /health}), prefix ({@code /api/**}: {@code /api} and
 *       everything below it), template ({@code /users/{id}}: a variable is one whole, non-empty
 *       segment), or a template ending in {@code /**} ({@code /users/{id}/**}). Empty: {@code /**}.
 *   <li>{@code methods}: HTTP methods, upper-cased here. Empty: any method.
 * </ul>
 *
 * @param id      the route's id, named in errors; not blank
 * @param hosts   host patterns; empty for any host
 * @param paths   path patterns; empty for {@code /**}
 * @param methods methods; empty for any method
 * @param headers header conditions, all of which must hold
 * @param query   query parameter conditions, all of which must hold
 * @param target  the core's compiled route payload, handed back in {@link RouteMatch.Found}
 * @param <T>     the payload type
 */
public record RouteSpec<T>(String id, List<String> hosts, List<String> paths, Set<String> methods,
                           List<HeaderCondition> headers, List<QueryCondition> query, T target) {

    /** Validates the id and methods, and copies every collection (nulls read as empty). */
    public RouteSpec {
        Objects.requireNonNull(id, "route id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a route id must not be blank");
        }
        hosts = copy(hosts, id, "host");
        paths = copy(paths, id, "path");
        headers = copy(headers, id, "header condition");
        query = copy(query, id, "query condition");
        Set<String> upper = new LinkedHashSet<>();
        if (methods != null) {
            for (String method : methods) {
                if (method == null || method.isEmpty() || !isToken(method)) {
                    throw new IllegalArgumentException(
                            "route '" + id + "': not a valid HTTP method: '" + method + "'");
                }
                upper.add(method.toUpperCase(Locale.ROOT));
            }
        }
        methods = Collections.unmodifiableSet(upper);
    }

    /** A route on these paths, for any host, method, header and query. */
    public static <T> RouteSpec<T> of(String id, List<String> paths, T target) {
        return new RouteSpec<>(id, List.of(), paths, Set.of(), List.of(), List.of(), target);
    }

    private static <E> List<E> copy(List<E> list, String id, String what) {
        if (list == null) {
            return List.of();
        }
        List<E> copy = new ArrayList<>(list.size());
        for (E element : list) {
            if (element == null) {
                throw new IllegalArgumentException("route '" + id + "': a " + what + " is null");
            }
            copy.add(element);
        }
        return Collections.unmodifiableList(copy);
    }

    private static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
