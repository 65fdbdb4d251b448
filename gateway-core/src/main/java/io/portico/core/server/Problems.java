package io.portico.core.server;

import io.portico.api.ProblemException;
import io.portico.core.observe.Json;
import java.util.Locale;

/** RFC 9457 problem documents, as the gateway writes them. */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    /** The JSON body for a problem. */
    static String json(ProblemException problem, String requestId) {
        return json(problem.status(), problem.key(), problem.title(), problem.detail(), requestId);
    }

    static String json(int status, String key, String title, String detail, String requestId) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"type\":");
        Json.string(out, "urn:portico:problem:" + key.toLowerCase(Locale.ROOT).replace('_', '-'));
        out.append(",\"title\":");
        Json.string(out, title);
        out.append(",\"status\":").append(status);
        out.append(",\"detail\":");
        Json.string(out, detail);
        out.append(",\"code\":");
        Json.string(out, key);
        out.append(",\"request_id\":");
        Json.string(out, requestId);
        return out.append("}\n").toString();
    }

    /**
     * The problem Jetty's own checks produce (bad request line, headers too large...), or a failure
     * of the handler's that Jetty reports: for a server error its message, which names an exception
     * and what it says, goes to the log, never to the client.
     */
    static ProblemException forStatus(int code, String message) {
        int status = code < 400 || code > 599 ? 500 : code;
        String detail = message == null || message.isBlank() || status >= 500 && status != 501 && status != 505
                ? defaultDetail(status) : message;
        return switch (status) {
            case 400 -> new ProblemException(400, "BAD_REQUEST", "Bad Request", detail);
            case 408 -> new ProblemException(408, "REQUEST_TIMEOUT", "Request Timeout", detail);
            case 413 -> new ProblemException(413, "BODY_TOO_LARGE", "Content Too Large", detail);
            case 414 -> new ProblemException(414, "URI_TOO_LONG", "URI Too Long", detail);
            case 431 -> new ProblemException(431, "HEADERS_TOO_LARGE", "Request Header Fields Too Large", detail);
            case 501 -> new ProblemException(501, "NOT_IMPLEMENTED", "Not Implemented", detail);
            case 503 -> new ProblemException(503, "UNAVAILABLE", "Service Unavailable", detail);
            case 505 -> new ProblemException(505, "HTTP_VERSION_NOT_SUPPORTED", "HTTP Version Not Supported", detail);
            default -> new ProblemException(status, status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST",
                    status >= 500 ? "Internal Server Error" : "Bad Request", detail);
        };
    }

    private static String defaultDetail(int status) {
        return switch (status) {
            case 431 -> "the request headers are larger than the gateway accepts";
            case 414 -> "the request target is longer than the gateway accepts";
            case 503 -> "the gateway cannot take the request now";
            default -> status >= 500 ? "the gateway failed; the log has details under this request id"
                    : "the request could not be understood";
        };
    }
}
