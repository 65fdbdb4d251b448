package io.portico.core.server;

import io.portico.api.ProblemException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty finds on its own (a malformed request line, headers too large, an
 * ambiguous URI) with the same problem documents the gateway writes, so a client never sees an
 * HTML error page.
 */
final class ProblemErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String requestId = RequestIds.keepOrCreate(request.getHeaders().get("X-Request-Id"));
        ProblemException problem = Problems.forStatus(code, message);
        response.setStatus(problem.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.getHeaders().put("X-Request-Id", requestId);
        response.write(true, ByteBuffer.wrap(Problems.json(problem, requestId).getBytes(StandardCharsets.UTF_8)),
                callback);
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
