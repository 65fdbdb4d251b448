package io.portico.core.observe;

/**
 * One request, as the access log records it.
 *
 * @param time          when it arrived, ISO-8601 UTC
 * @param requestId     the request id
 * @param client        the client's address
 * @param method        the method
 * @param path          the path as received (without the query)
 * @param route         the route id, or null when none matched
 * @param target        the upstream target ({@code host:port}), or null when none was called
 * @param status        the status sent
 * @param bytesIn       request body bytes read
 * @param bytesOut      response body bytes written
 * @param durationMicros from arrival to the last byte written
 */
public record AccessEntry(String time, String requestId, String client, String method, String path, String route,
                          String target, int status, long bytesIn, long bytesOut, long durationMicros) {

    /** The entry as one JSON object on one line, without the line break. */
    public String toJson() {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"time\":");
        Json.string(out, time).append(",\"request_id\":");
        Json.string(out, requestId).append(",\"client\":");
        Json.string(out, client).append(",\"method\":");
        Json.string(out, method).append(",\"path\":");
        Json.string(out, path).append(",\"route\":");
        Json.string(out, route).append(",\"target\":");
        Json.string(out, target).append(",\"status\":").append(status)
                .append(",\"bytes_in\":").append(bytesIn)
                .append(",\"bytes_out\":").append(bytesOut)
                .append(",\"duration_ms\":").append(durationMicros / 1000).append('.');
        long fraction = durationMicros % 1000;
        if (fraction < 100) {
            out.append('0');
        }
        if (fraction < 10) {
            out.append('0');
        }
        return out.append(fraction).append('}').toString();
    }
}
