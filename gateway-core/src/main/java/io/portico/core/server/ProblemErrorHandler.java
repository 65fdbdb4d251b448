package io.portico.core.server;

import io.portico.api.ProblemException;
import io.portico.core.observe.AccessEntry;
import io.portico.core.observe.AccessLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the errors Jetty finds on its own (a malformed request line, headers too large, an
 * ambiguous URI, a request refused while draining) with the same problem documents the gateway
 * writes, so a client never sees an HTML error page, and gives each its access-log line, which
 * the gateway's handler writes for the requests it sees. A request the handler failed before its
 * answer went out comes here too; when it failed with the gateway's own problem, that problem is
 * the answer, under the request id it carries.
 */
final class ProblemErrorHandler extends ErrorHandler {
    /**
     * Set, to its request id, on a request that the gateway's handler took but failed before it
     * answered; Jetty then comes here for the answer, which keeps that id, and the handler's own
     * access-log line is enough.
     */
    static final String HANDLED = "io.portico.handled";
    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorHandler.class);
    // what Jetty names a request whose request line could not be read
    private static final String UNREAD_METHOD = "BAD";
    private static final String UNREAD_PATH = "/badMessage";

    private final AccessLog accessLog;
    private final Clock clock;

    ProblemErrorHandler(AccessLog accessLog, Clock clock) {
        this.accessLog = accessLog;
        this.clock = clock;
    }

    /**
     * Every method gets its problem: Jetty writes an error page only for GET, POST and HEAD, and
     * answered a DELETE whose upstream broke off with an empty 500 of its own.
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        // the gateway's own problem: its handler took the request, then failed before the answer
        // went out (an upstream that broke off after its headers, before a byte of its body)
        ProblemException thrown = problemIn(cause);
        Object handled = request.getAttribute(HANDLED);
        String carried = thrown == null ? null : thrown.headers().first(RequestIds.HEADER);
        String requestId = handled instanceof String id ? id
                : carried != null ? carried : RequestIds.keepOrCreate(request.getHeaders().get(RequestIds.HEADER));
        if (thrown == null && accessLog.enabled() && handled == null) {
            Request.addCompletionListener(request, failure -> logAccess(request, response, requestId));
        }
        ProblemException problem = thrown != null ? thrown : Problems.forStatus(code, message);
        if (thrown != null && thrown.getCause() != null) {
            LOG.info("request {} answered {} {}: {}", requestId, thrown.status(), thrown.key(), thrown.getCause().toString());
        } else if (thrown == null && handled == null && cause != null && problem.status() >= 500
                && !(cause instanceof HttpException)) {
            // the handler's failure, which its client is not told of (Jetty's own warning is off)
            LOG.warn("request {} failed before its answer went out", requestId, cause);
        }
        response.setStatus(problem.status());
        HttpFields.Mutable headers = response.getHeaders();
        problem.headers().forEach(headers::add);
        headers.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        // replaces the id a problem carries, so there is one
        headers.put(RequestIds.HEADER, requestId);
        response.write(true, ByteBuffer.wrap(Problems.json(problem, requestId).getBytes(StandardCharsets.UTF_8)),
                callback);
    }

    private static ProblemException problemIn(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; depth < 4 && cause != null; depth++) {
            if (cause instanceof ProblemException problem) {
                return problem;
            }
            cause = cause.getCause();
        }
        return null;
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
        fields.put(RequestIds.HEADER, requestId);
        return ByteBuffer.wrap(Problems.json(Problems.forStatus(status, reason), requestId)
                .getBytes(StandardCharsets.UTF_8));
    }
}
