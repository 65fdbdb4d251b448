package io.portico.core.routing;

import io.portico.api.Headers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the route for a request: compiled once per configuration, then shared by every request.
 *
 * <h2>Which route wins</h2>
 * Of the routes that match a request (host, path, method, every header and query condition), the
 * most specific wins; two equally specific routes go to the one declared first in the file. Routes
 * compare by, in this order:
 * <ol>
 *   <li><b>host</b>: an exact host beats a wildcard; a longer wildcard suffix
 *       ({@code *.eu.example.com}) beats a shorter one ({@code *.example.com}); any wildcard beats
 *       a route without a host condition;
 *   <li><b>kind of path pattern</b>: exact ({@code /health}) beats template ({@code /users/{id}}),
 *       which beats a template ending in {@code /**} ({@code /users/{id}/**}), which beats a prefix
 *       ({@code /api/**});
 *   <li><b>literal characters</b>: more characters outside variables and {@code **} win
 *       ({@code /api/v1/**} beats {@code /api/**});
 *   <li><b>segments</b>: more segments in the pattern win;
 *   <li><b>conditions</b>: more conditions win, counting a method list as one, and each header and
 *       query condition as one;
 *   <li><b>file order</b>: the route declared first wins.
 * </ol>
 * A route with several hosts or paths is ranked by the host and path that matched.
 *
 * <p>When routes match host, path, headers and query but none allows the method, the answer is
 * {@link RouteMatch.MethodNotAllowed} with the union of their methods; a route that matches fully
 * always wins over that, however specific the others.
 *
 * <h2>How</h2>
 * Path patterns are compiled into segment tries (a radix tree on path segments: literal children
 * by text, one child for a template variable, the {@code /**} entries at the node where their
 * literal part ends), one trie per exact host, one per wildcard suffix and one for routes without
 * a host. A match looks up the host's tries by hash (the exact host, then each of its suffixes,
 * longest first, then the any-host trie) and walks each once along the path's segments, skipping
 * every subtree whose best entry cannot beat the best found so far; methods, headers and query are
 * checked only on the entries the walk reaches, in specificity order. Cost grows with the path's
 * depth and the number of routes that share its shape, not with the number of routes.
 *
 * <p>The path must be decoded and normalized already (it starts with {@code /}, holds no dot
 * segments); it is matched as given, so {@code /a/} is not {@code /a}. Variables are returned as
 * the path holds them.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param <T> the routes' payload type
 */
public final class Router<T> {
    private static final RouteMatch.NotFound<?> NOT_FOUND = new RouteMatch.NotFound<>();

    /** The tries of exact hosts, at their slot in {@link #exactHostTable}. */
    private final LiteralTable exactHostTable;
    private final Node<T>[] exactHosts;
    /** By suffix with its leading dot: {@code *.example.com} is under {@code .example.com}. */
    private final LiteralTable wildcardHostTable;
    private final Node<T>[] wildcardHosts;
    private final Node<T> anyHost;
    private final boolean hasHostRoutes;
    private final int size;

    private Router(Map<String, Node<T>> exactHosts, Map<String, Node<T>> wildcardHosts,
                   Node<T> anyHost, boolean hasHostRoutes, int size) {
        this.exactHosts = newArray(LiteralTable.capacity(exactHosts.size()));
        this.exactHostTable = LiteralTable.of(exactHosts, true, this.exactHosts);
        this.wildcardHosts = newArray(LiteralTable.capacity(wildcardHosts.size()));
        this.wildcardHostTable = LiteralTable.of(wildcardHosts, true, this.wildcardHosts);
        this.anyHost = anyHost;
        this.hasHostRoutes = hasHostRoutes;
        this.size = size;
    }

    /**
     * Compiles routes, given in file order.
     *
     * @throws IllegalArgumentException naming the route, for a malformed host or path pattern
     *                                  (an unclosed <code>{</code>, a {@code **} not last, a
     *                                  duplicate variable...) or a duplicate route id
     */
    public static <T> Router<T> compile(List<RouteSpec<T>> routes) {
        Objects.requireNonNull(routes, "routes");
        Set<String> ids = new HashSet<>();
        List<Entry<T>> entries = new ArrayList<>(routes.size());
        Map<Entry<T>, String> hostKeys = new HashMap<>();
        for (int order = 0; order < routes.size(); order++) {
            RouteSpec<T> route = Objects.requireNonNull(routes.get(order), "route");
            String id = route.id();
            if (!ids.add(id)) {
                throw new IllegalArgumentException("route '" + id + "': duplicate route id");
            }
            Condition[] headers = route.headers().stream().map(Condition::of).toArray(Condition[]::new);
            Condition[] query = route.query().stream().map(Condition::of).toArray(Condition[]::new);
            List<PathPattern> paths = new ArrayList<>();
            for (String path : route.paths().isEmpty() ? List.of("/**") : route.paths()) {
                paths.add(PathPattern.parse(id, path));
            }
            List<String> hosts = route.hosts().isEmpty() ? List.of("*") : route.hosts();
            for (String host : hosts) {
                String key = hostKey(id, host);
                int hostClass = key == null ? Entry.ANY_HOST
                        : key.startsWith(".") ? Entry.WILDCARD_HOST : Entry.EXACT_HOST;
                int suffixLength = hostClass == Entry.WILDCARD_HOST ? key.length() : 0;
                for (PathPattern path : paths) {
                    Entry<T> entry = new Entry<>(route, order, hostClass, suffixLength, path,
                            headers, query);
                    entries.add(entry);
                    if (key != null) {
                        hostKeys.put(entry, key);
                    }
                }
            }
        }

        List<Entry<T>> ranked = new ArrayList<>(entries);
        ranked.sort(Entry.SPECIFICITY);
        for (int rank = 0; rank < ranked.size(); rank++) {
            ranked.get(rank).rank(rank);
        }

        Node.Builder<T> any = new Node.Builder<>();
        Map<String, Node.Builder<T>> exact = new HashMap<>();
        Map<String, Node.Builder<T>> wildcard = new HashMap<>();
        for (Entry<T> entry : entries) {
            String key = hostKeys.get(entry);
            Node.Builder<T> trie = key == null ? any
                    : (key.startsWith(".") ? wildcard : exact).computeIfAbsent(key, k -> new Node.Builder<>());
            trie.add(entry);
        }
        return new Router<>(freeze(exact), freeze(wildcard), any.build(),
                !exact.isEmpty() || !wildcard.isEmpty(), routes.size());
    }

    private static <T> Map<String, Node<T>> freeze(Map<String, Node.Builder<T>> builders) {
        Map<String, Node<T>> tries = new HashMap<>(builders.size() * 2);
        builders.forEach((key, builder) -> tries.put(key, builder.build()));
        return tries;
    }

    @SuppressWarnings("unchecked")
    private static <T> Node<T>[] newArray(int length) {
        return (Node<T>[]) new Node<?>[length];
    }

    /**
     * The host pattern as a lookup key: the lower-case host, {@code .suffix} for a wildcard, or
     * {@code null} for any host ({@code *}).
     */
    private static String hostKey(String id, String pattern) {
        String host = pattern.trim().toLowerCase(Locale.ROOT);
        if (host.endsWith(".") && !host.equals("*.")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.equals("*")) {
            return null;
        }
        String name = host.startsWith("*.") ? host.substring(2) : host;
        String why = null;
        if (name.isEmpty()) {
            why = "it is empty";
        } else if (name.indexOf('*') >= 0) {
            why = "'*' is only allowed as a first label '*.'";
        } else if (name.startsWith("[") && name.endsWith("]")) {
            why = host.startsWith("*.") ? "an IP address has no subdomains" : null;
        } else if (name.indexOf(':') >= 0) {
            why = "a host pattern has no port (the request's port is ignored)";
        } else if (name.startsWith(".") || name.contains("..")) {
            why = "empty label";
        } else {
            for (int i = 0; i < name.length() && why == null; i++) {
                char c = name.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                    why = "'" + c + "' is not allowed in a host name";
                }
            }
        }
        if (why != null) {
            throw new IllegalArgumentException(
                    "route '" + id + "': bad host pattern '" + pattern + "': " + why);
        }
        return host.startsWith("*.") ? host.substring(1) : host;
    }

    /**
     * Finds the route for a request.
     *
     * @param host     the request's host, as the {@code Host} header or authority gave it
     *                 ({@code :port} and case are ignored); {@code null} matches only routes without
     *                 a host condition
     * @param method   the method, upper case
     * @param path     the decoded, normalized path, starting with {@code /}
     * @param headers  the request headers; {@code null} reads as none
     * @param rawQuery the query as sent, without {@code ?}; {@code null} when there is none
     * @return {@link RouteMatch.Found}, {@link RouteMatch.MethodNotAllowed} or
     *         {@link RouteMatch.NotFound}
     */
    @SuppressWarnings("unchecked")
    public RouteMatch<T> match(String host, String method, String path, Headers headers,
                               String rawQuery) {
        Lookup<T> lookup = new Lookup<>(method, headers, rawQuery);
        search(lookup, host, path);
        Entry<T> best = lookup.best();
        if (best != null) {
            return best.found(path);
        }
        lookup.collectAllowed();
        search(lookup, host, path);
        Set<String> allowed = lookup.allowed();
        if (allowed.isEmpty()) {
            return (RouteMatch<T>) NOT_FOUND;
        }
        return new RouteMatch.MethodNotAllowed<>(Collections.unmodifiableSet(allowed));
    }

    private void search(Lookup<T> lookup, String host, String path) {
        int start = path.length() <= 1 ? path.length() : 0;
        if (hasHostRoutes && host != null) {
            int end = hostEnd(host);
            int slot = exactHostTable.find(host, 0, end);
            if (slot >= 0) {
                lookup.walk(exactHosts[slot], path, start);
            }
            for (int dot = host.indexOf('.', 1); dot > 0 && dot < end; dot = host.indexOf('.', dot + 1)) {
                slot = wildcardHostTable.find(host, dot, end);
                if (slot >= 0) {
                    lookup.walk(wildcardHosts[slot], path, start);
                }
            }
        }
        lookup.walk(anyHost, path, start);
    }

    /** Where the host name ends: before a {@code :port} and a final dot. */
    private static int hostEnd(String host) {
        int end;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            end = close < 0 ? host.length() : close + 1;
        } else {
            int colon = host.indexOf(':');
            end = colon < 0 ? host.length() : colon;
        }
        if (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        return end;
    }

    /** The number of routes compiled. */
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return "Router[" + size + " routes]";
    }
}
