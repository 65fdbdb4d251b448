package io.portico.core.server;

import io.portico.api.ProblemException;
import io.portico.core.observe.AccessEntry;
import io.portico.core.observe.AccessLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * Answers the errors Jetty finds on its own (a malformed request line, headers too large, an
 * ambiguous URI, a request refused while draining) with the same problem documents the gateway
 * writes, so a client never sees an HTML error page, and gives each its access-log line, which
 * the gateway's handler writes for the requests it sees.
 */
final class ProblemErrorHandler extends ErrorHandler {
    /**
     * Set on a request that the gateway's handler took but failed before it answered; Jetty then
     * comes here for the answer, and the handler's own access-log line is enough.
     */
    static final String HANDLED = "io.portico.handled";
    // what Jetty names a request whose request line could not be read
    private static final String UNREAD_METHOD = "BAD";
    private static final String UNREAD_PATH = "/badMessage";

    private final AccessLog accessLog;
    private final Clock clock;

    ProblemErrorHandler(AccessLog accessLog, Clock clock) {
        this.accessLog = accessLog;
        this.clock = clock;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String requestId = RequestIds.keepOrCreate(request.getHeaders().get("X-Request-Id"));
        if (accessLog.enabled() && request.getAttribute(HANDLED) == null) {
            Request.addCompletionListener(request, failure -> logAccess(request, response, requestId));
        }
        ProblemException problem = Problems.forStatus(code, message);
        response.setStatus(problem.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.getHeaders().put("X-Request-Id", requestId);
        response.write(true, ByteBuffer.wrap(Problems.json(problem, requestId).getBytes(StandardCharsets.UTF_8)),
                callback);
    }

    private void logAccess(Request request, Response response, String requestId) {
        long micros = NanoTime.since(request.getBeginNanoTime()) / 1000;
        HttpURI uri = request.getHttpURI();
        String method = request.getMethod();
        String path = uri == null ? null : uri.getPath();
        if (UNREAD_METHOD.equals(method) && UNREAD_PATH.equals(path)) {
            method = null;
            path = null;
        }
        accessLog.log(new AccessEntry(clock.instant().minusNanos(micros * 1000).toString(), requestId,
                Request.getRemoteAddr(request), method, path, null, null, response.getStatus(),
                Request.getContentBytesRead(request), Response.getContentBytesWritten(response), micros));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String requestId = RequestIds.create();
        fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        fields.put("X-Request-Id", requestId);
        return ByteBuffer.wrap(Problems.json(Problems.forStatus(status, reason), requestId)
                .getBytes(StandardCharsets.UTF_8));
    }
}
