package io.portico.core.routing;

import io.portico.api.Headers;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of one {@link Router#match} call: the request's method, headers and query, and the
 * best entry found so far. Made per call, never shared.
 */
final class Lookup<T> {
    private final String method;
    private final int methodBit;
    private final Headers headers;
    private final String rawQuery;
    private String[] queryParams;
    /** In the second pass, after no entry matched: the methods of entries that failed on method only. */
    private Set<String> allowed;
    private boolean collecting;
    private Entry<T> best;
    private int bestRank = Integer.MAX_VALUE;

    Lookup(String method, Headers headers, String rawQuery) {
        this.method = method;
        this.methodBit = Entry.methodBit(method);
        this.headers = headers == null ? Headers.empty() : headers;
        this.rawQuery = rawQuery;
    }

    Headers headers() {
        return headers;
    }

    String[] queryParams() {
        if (queryParams == null) {
            queryParams = Condition.parseQuery(rawQuery);
        }
        return queryParams;
    }

    Entry<T> best() {
        return best;
    }

    /** Switches to collecting the methods of entries that match everything but the method. */
    void collectAllowed() {
        collecting = true;
        allowed = new TreeSet<>();
    }

    Set<String> allowed() {
        return allowed;
    }

    /**
     * Walks {@code node} and below for {@code path}, from {@code pos}: the index of the {@code /}
     * that opens the next segment, or the path's length when no segment is left.
     */
    void walk(Node<T> node, String path, int pos) {
        if (node.minRank >= bestRank) {
            return;
        }
        int length = path.length();
        if (pos == length) {
            if (node.terminalMin < bestRank) {
                consider(node.terminals);
            }
        } else {
            int start = pos + 1;
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            Node<T> child = node.literal(path, start, end);
            if (child != null && child.minRank < bestRank) {
                walk(child, path, end);
            }
            Node<T> variable = node.variable;
            if (variable != null && end > start && variable.minRank < bestRank) {
                walk(variable, path, end);
            }
        }
        if (node.catchAllMin < bestRank) {
            consider(node.catchAll);
        }
    }

    private void consider(Entry<T>[] entries) {
        for (Entry<T> entry : entries) {
            if (entry.rank() >= bestRank) {
                return;
            }
            if (collecting) {
                if (entry.conditionsHold(this)) {
                    allowed.addAll(entry.methods());
                }
            } else if (entry.allowsMethod(method, methodBit) && entry.conditionsHold(this)) {
                best = entry;
                bestRank = entry.rank();
                return;
            }
        }
    }
}
