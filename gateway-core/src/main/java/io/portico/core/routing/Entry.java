package io.portico.core.routing;

import io.portico.api.Headers;
import java.util.Comparator;
import java.util.Set;

/**
 * One (host pattern, path pattern) pair of a route, the unit the trie stores. A route with two
 * hosts and three paths becomes six entries; each has its own specificity {@link #rank()}.
 */
final class Entry<T> {
    /** Host classes, most specific first. */
    static final int EXACT_HOST = 0;
    static final int WILDCARD_HOST = 1;
    static final int ANY_HOST = 2;

    /** The specificity order of the class javadoc of {@link Router}, as a comparator. */
    static final Comparator<Entry<?>> SPECIFICITY = Comparator
            .<Entry<?>>comparingInt(entry -> entry.hostClass)
            .thenComparing(Comparator.<Entry<?>>comparingInt(entry -> entry.hostSuffixLength).reversed())
            .thenComparing(entry -> entry.path.kind())
            .thenComparing(Comparator.<Entry<?>>comparingInt(entry -> entry.path.literalChars()).reversed())
            .thenComparing(Comparator.<Entry<?>>comparingInt(entry -> entry.path.segmentCount()).reversed())
            .thenComparing(Comparator.<Entry<?>>comparingInt(entry -> entry.conditionCount).reversed())
            .thenComparingInt(entry -> entry.order);

    private final RouteSpec<T> route;
    private final int order;
    private final int hostClass;
    private final int hostSuffixLength;
    private final PathPattern path;
    private final Set<String> methods;
    private final Condition[] headers;
    private final Condition[] query;
    private final int conditionCount;
    private int rank;

    Entry(RouteSpec<T> route, int order, int hostClass, int hostSuffixLength, PathPattern path,
          Condition[] headers, Condition[] query) {
        this.route = route;
        this.order = order;
        this.hostClass = hostClass;
        this.hostSuffixLength = hostSuffixLength;
        this.path = path;
        this.methods = route.methods();
        this.headers = headers;
        this.query = query;
        this.conditionCount = (methods.isEmpty() ? 0 : 1) + headers.length + query.length;
    }

    RouteSpec<T> route() {
        return route;
    }

    PathPattern path() {
        return path;
    }

    Set<String> methods() {
        return methods;
    }

    /** The position in specificity order among all entries of the router: lower wins. */
    int rank() {
        return rank;
    }

    void rank(int rank) {
        this.rank = rank;
    }

    boolean allowsMethod(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /** Whether the header and query conditions hold; the query is parsed at most once per match. */
    boolean conditionsHold(Lookup<T> lookup) {
        if (headers.length > 0) {
            Headers requestHeaders = lookup.headers();
            for (Condition condition : headers) {
                if (!condition.test(requestHeaders)) {
                    return false;
                }
            }
        }
        if (query.length > 0) {
            String[] params = lookup.queryParams();
            for (Condition condition : query) {
                if (!condition.test(params)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return route.id() + " " + path + " #" + rank;
    }
}
