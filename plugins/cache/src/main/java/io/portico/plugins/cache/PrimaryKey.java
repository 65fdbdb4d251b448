package io.portico.plugins.cache;

/**
 * What identifies a cached resource before {@code Vary} is considered: host, path, the query with
 * its parameters sorted, and the consumer when the cache is per consumer (else the empty string).
 * GET and HEAD share one key.
 */
record PrimaryKey(String host, String path, String query, String consumer) {

    /** Whether this key is under a purge prefix: same host, path starting with {@code pathPrefix}. */
    boolean under(String purgeHost, String pathPrefix) {
        return host.equals(purgeHost) && path.startsWith(pathPrefix);
    }

    /** The query with its {@code &}-separated parameters sorted; {@code ""} for none. */
    static String sortedQuery(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        if (query.indexOf('&') < 0) {
            return query;
        }
        String[] parameters = query.split("&", -1);
        java.util.Arrays.sort(parameters);
        return String.join("&", parameters);
    }
}
