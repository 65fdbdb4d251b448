package io.portico.core.routing;

import io.portico.api.Headers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
    /** A bit per standard method the route allows (see {@link #methodBit}), or -1 for any. */
    private final int methodBits;
    /** Allowed methods that have no bit. */
    private final String[] otherMethods;
    /** The path pattern's shape, copied here so that a match reads one object. */
    private final String[] variablesBySegment;
    private final String[] variableNames;
    private final int segmentCount;
    private final boolean catchAll;
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
        int bits = 0;
        List<String> others = new ArrayList<>();
        for (String allowed : methods) {
            int bit = methodBit(allowed);
            if (bit == 0) {
                others.add(allowed);
            }
            bits |= bit;
        }
        this.methodBits = methods.isEmpty() ? -1 : bits;
        this.otherMethods = others.toArray(new String[0]);
        this.variablesBySegment = path.variablesBySegment();
        this.variableNames = path.variableNames();
        this.segmentCount = path.segmentCount();
        this.catchAll = path.catchAll();
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

    /** A bit for each standard method, 0 for any other. */
    static int methodBit(String method) {
        return switch (method) {
            case "GET" -> 1;
            case "HEAD" -> 1 << 1;
            case "POST" -> 1 << 2;
            case "PUT" -> 1 << 3;
            case "DELETE" -> 1 << 4;
            case "PATCH" -> 1 << 5;
            case "OPTIONS" -> 1 << 6;
            case "TRACE" -> 1 << 7;
            case "CONNECT" -> 1 << 8;
            case null, default -> 0;
        };
    }

    /** Whether the route allows {@code method}, whose {@link #methodBit} is {@code bit}. */
    boolean allowsMethod(String method, int bit) {
        if (methodBits == -1) {
            return true;
        }
        if (bit != 0) {
            return (methodBits & bit) != 0;
        }
        for (String other : otherMethods) {
            if (other.equals(method)) {
                return true;
            }
        }
        return false;
    }

    /** The answer for {@code path}, which this entry's pattern matched. */
    RouteMatch.Found<T> found(String path) {
        if (variableNames.length == 0 && !catchAll) {
            return new RouteMatch.Found<>(route, Map.of(), path);
        }
        String[] values = variableNames.length == 0 ? null : new String[variableNames.length];
        int next = 0;
        int start = 0;
        for (int i = 0; i < segmentCount; i++) {
            int end = path.indexOf('/', start + 1);
            if (end < 0) {
                end = path.length();
            }
            if (variablesBySegment[i] != null) {
                values[next++] = path.substring(start + 1, end);
            }
            start = end;
        }
        Map<String, String> variables = values == null ? Map.of()
                : new PathVariables(variableNames, values);
        String prefix = !catchAll || start == path.length() ? path : path.substring(0, start);
        return new RouteMatch.Found<>(route, variables, prefix);
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
