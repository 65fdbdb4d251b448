package io.portico.core.server;

import io.portico.api.Body;
import io.portico.api.Exchange;
import io.portico.api.Headers;
import io.portico.api.MatchedRoute;
import io.portico.api.ProblemException;
import io.portico.api.Response;
import io.portico.core.observe.AccessEntry;
import io.portico.core.observe.AccessLog;
import io.portico.core.pipeline.FilterFailure;
import io.portico.core.proxy.ClientFacts;
import io.portico.core.proxy.HopByHop;
import io.portico.core.proxy.StreamedBody;
import io.portico.core.proxy.UpstreamCall;
import io.portico.core.proxy.WebSocketUpgrade;
import io.portico.core.routing.RouteMatch;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler: takes the current snapshot once, routes, runs the route's pipeline on this
 * (virtual) thread, and writes what it answered. A streamed upstream body is then copied to the
 * client without blocking this thread.
 */
final class GatewayHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final Clock clock;
    private final AccessLog accessLog;
    private final long maxBufferedBody;
    private final int maxUriLength;
    private final ServerWebSocketContainer webSockets;
    private final java.util.concurrent.Executor filterThreads;
    private final io.portico.core.observe.RouteMeters unmatched;
    private volatile Snapshot snapshot;

    GatewayHandler(Snapshot snapshot, Clock clock, AccessLog accessLog, ServerWebSocketContainer webSockets,
                   java.util.concurrent.Executor filterThreads, io.portico.core.observe.GatewayMetrics metrics) {
        this.snapshot = snapshot;
        this.unmatched = metrics.route("(none)");
        this.filterThreads = filterThreads;
        this.webSockets = webSockets;
        this.clock = clock;
        this.accessLog = accessLog;
        var limits = snapshot.config().config().server().limits();
        this.maxBufferedBody = limits.maxBufferedBody().bytes();
        this.maxUriLength = (int) limits.maxUriLength().bytes();
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** Swaps in a new configuration; requests already running keep the one they took. */
    void swap(Snapshot next) {
        this.snapshot = next;
    }

    @Override
    public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        Snapshot current = snapshot;
        current.inFlight().acquire();
        long started = System.nanoTime();
        HttpFields fields = request.getHeaders();
        String requestId = RequestIds.keepOrCreate(fields.get(RequestIds.HEADER));
        HttpURI uri = request.getHttpURI();
        String path = uri.getCanonicalPath();
        String peer = Request.getRemoteAddr(request);
        Trace trace = new Trace(requestId, peer, request.getMethod(), path);
        SparingEndPoint watched = watchable(request);
        Request.addCompletionListener(request, failure -> {
            if (watched != null) {
                watched.unwatchPeer();
            }
            current.inFlight().release();
            long nanos = System.nanoTime() - started;
            int status = trace.clientGone ? 499
                    : failure != null && !response.isCommitted() ? 500 : response.getStatus();
            (trace.meters != null ? trace.meters : unmatched).record(status, nanos);
            logAccess(request, response, trace, nanos, status);
        });

        try {
            if (path == null || path.isEmpty() || path.charAt(0) != '/') {
                throw new ProblemException(400, "BAD_PATH", "Bad Request", "the request path is not valid");
            }
            String rawPathQuery = uri.getPathQuery();
            if (rawPathQuery != null && rawPathQuery.length() > maxUriLength) {
                throw new ProblemException(414, "URI_TOO_LONG", "URI Too Long",
                        "the request target is longer than " + maxUriLength + " bytes");
            }
            Headers headers = headers(fields);
            if (!fields.contains(HttpHeader.HOST) && uri.getAuthority() != null) {
                // HTTP/2 carries the host in :authority; filters see it as Host, as HTTP/1.1 sends it (RFC 9113 8.3.1)
                headers = headers.withAdded("Host", uri.getAuthority());
            }
            String host = uri.getHost();
            String query = uri.getQuery();
            RouteMatch<RouteRuntime> match = current.router().match(host == null ? "" : host, request.getMethod(),
                    path, headers, query);
            if (match instanceof RouteMatch.NotFound<RouteRuntime>) {
                throw new ProblemException(404, "NO_ROUTE", "Not Found", "no route matches " + request.getMethod()
                        + " " + path);
            }
            if (match instanceof RouteMatch.MethodNotAllowed<RouteRuntime> notAllowed) {
                throw new ProblemException(405, "METHOD_NOT_ALLOWED", "Method Not Allowed",
                        "the route for " + path + " does not take " + request.getMethod())
                        .withHeader("Allow", String.join(", ", notAllowed.allowed()));
            }
            RouteMatch.Found<RouteRuntime> found = (RouteMatch.Found<RouteRuntime>) match;
            RouteRuntime route = found.route().target();
            trace.route = route.id();
            trace.meters = route.meters();

            long length = request.getLength();
            if (length > route.maxBodySize()) {
                throw new ProblemException(413, "BODY_TOO_LARGE", "Content Too Large",
                        "the request body is larger than the " + route.maxBodySize() + " bytes this route accepts");
            }
            Body body = Body.empty();
            if (hasBody(request, fields, length)) {
                trace.content = new ClientContent(request);
                body = new StreamedBody(trace.content, length, maxBufferedBody);
            }
            String clientAddress = current.trusted().isEmpty() ? peer
                    : current.trusted().clientAddress(peer, fields.getValuesList(HttpHeader.X_FORWARDED_FOR));
            io.portico.api.Request routed = new io.portico.api.Request(request.getMethod(), path, query, headers, body);
            Exchange exchange = Exchange.create(requestId, routed, clientAddress, request.isSecure(),
                    new MatchedRoute(route.id(), route.upstreamName(), found.pathVariables()));
            String authority = fields.get(HttpHeader.HOST);
            if (authority == null) {
                authority = uri.getAuthority();
            }
            boolean webSocket = isWebSocketUpgrade(request, fields);
            io.portico.core.proxy.ClientGone gone = watched != null && !webSocket
                    ? watchClient(watched, request, response, trace) : null;
            ClientFacts facts = new ClientFacts(peer, authority, protocol(request), path, found, webSocket, gone);
            exchange.setAttribute(ClientFacts.KEY, facts);
            trace.exchange = exchange;
            if (route.pipeline().nonBlocking() && !facts.webSocket()) {
                // nothing can block, so nothing waits: filters run here, the answer is written from the
                // client's thread
                java.util.concurrent.CompletionStage<Response> answered = route.directCall() != null
                        ? route.directCall().callAsync(exchange) : route.pipeline().runAsync(exchange);
                answered.whenComplete((answer, failure) -> {
                    trace.target = exchange.attribute(UpstreamCall.TARGET).orElse(null);
                    if (failure == null) {
                        writeOrFail(answer, trace, response, callback);
                    } else {
                        answerFailure(failure, requestId, trace, response, callback);
                    }
                });
                return true;
            }
            // blocking filters get a virtual thread of their own
            filterThreads.execute(() -> runPipeline(route, exchange, trace, request, response, callback));
        } catch (Throwable failure) {
            answerFailure(failure, requestId, trace, response, callback);
        }
        return true;
    }

    /** The client's end point when the gateway can watch it for a close (plain HTTP/1), else null. */
    private static SparingEndPoint watchable(Request request) {
        var metaData = request.getConnectionMetaData();
        return metaData.getConnection().getEndPoint() instanceof SparingEndPoint endPoint
                && metaData.getHttpVersion().getVersion() <= HttpVersion.HTTP_1_1.getVersion() ? endPoint : null;
    }

    /**
     * Watches for the client closing its connection before its answer. Jetty does not read a
     * connection while its request is handled, so without this a client that went away was noticed
     * only when its answer was written, the upstream kept working for nobody, and the access log
     * showed the upstream's status. As nginx does: the connection closes, the upstream call is
     * abandoned (its connection closed, its target not blamed), and the log says 499. A client
     * whose body is still being read is left to that reader, which meets the end of the body as a
     * 400 {@code BODY_INCOMPLETE}; one that goes once its answer has begun, to the answer's writes.
     */
    private static io.portico.core.proxy.ClientGone watchClient(SparingEndPoint endPoint, Request request,
                                                              org.eclipse.jetty.server.Response response, Trace trace) {
        io.portico.core.proxy.ClientGone gone = new io.portico.core.proxy.ClientGone();
        endPoint.watchPeer(() -> {
            // an answer under way finds out by its writes, which race nothing; closing here could
            // race its completion (Jetty then warns that the channel already completed)
            if (trace.content != null && !trace.content.ended() || response.isCommitted()) {
                return;
            }
            trace.clientGone = true;
            // closed first, so that nothing is written to the half-closed connection on the way out
            request.getConnectionMetaData().getConnection().close();
            gone.signal();
        });
        return gone;
    }

    private void runPipeline(RouteRuntime route, Exchange exchange, Trace trace, Request request,
                             org.eclipse.jetty.server.Response response, Callback callback) {
        String requestId = exchange.requestId();
        try {
            Response answer;
            try {
                answer = route.pipeline().run(exchange);
            } finally {
                trace.target = exchange.attribute(UpstreamCall.TARGET).orElse(null);
            }
            if (answer.body() instanceof WebSocketUpgrade upgrade) {
                upgradeClientSide(upgrade, trace, request, response, callback);
            } else {
                write(answer, trace, response, callback);
            }
        } catch (Throwable failure) {
            answerFailure(failure, requestId, trace, response, callback);
        }
    }

    /**
     * Nothing in {@link #handle} blocks: routing is computation, a route without filters calls its
     * upstream asynchronously, and a route with filters hands itself to a virtual thread. So Jetty
     * may run it on the thread that read the request, with no hand-off at all.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    private void writeOrFail(Response answer, Trace trace, org.eclipse.jetty.server.Response response,
                             Callback callback) {
        try {
            write(answer, trace, response, callback);
        } catch (Throwable failure) {
            LOG.error("request {}: writing the response failed", trace.requestId, failure);
            response.getRequest().setAttribute(ProblemErrorHandler.HANDLED, trace.requestId);
            callback.failed(failure);
        }
    }

    private static void answerFailure(Throwable thrown, String requestId, Trace trace,
                                      org.eclipse.jetty.server.Response response, Callback callback) {
        Throwable failure = thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
                ? thrown.getCause() : thrown;
        if (failure instanceof ProblemException problem) {
            if (problem.getCause() != null) {
                LOG.info("request {} answered {} {}: {}", requestId, problem.status(), problem.key(),
                        problem.getCause().toString());
            }
            writeProblem(problem, trace, response, callback);
        } else if (failure instanceof FilterFailure filterFailure) {
            LOG.error("request {} on route {}: {}", requestId, trace.route, filterFailure.getMessage(),
                    filterFailure.getCause());
            writeProblem(new ProblemException(500, "FILTER_FAILED", "Internal Server Error",
                    "filter '" + filterFailure.filterName() + "' failed; the log has details under this request id"),
                    trace, response, callback);
        } else {
            LOG.error("request {} on route {} failed", requestId, trace.route, failure);
            writeProblem(new ProblemException(500, "INTERNAL_ERROR", "Internal Server Error",
                    "the gateway failed; the log has details under this request id"), trace, response, callback);
        }
    }

    private static boolean isWebSocketUpgrade(Request request, HttpFields fields) {
        return "GET".equals(request.getMethod()) && fields.contains(HttpHeader.UPGRADE, "websocket")
                && request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1;
    }

    private void upgradeClientSide(WebSocketUpgrade upgrade, Trace trace, Request request,
                                   org.eclipse.jetty.server.Response response, Callback callback) {
        putSetByFilters(trace, response.getHeaders(), null);
        response.getHeaders().put(KnownFields.of(RequestIds.HEADER, trace.requestId));
        // a failed upgrade may leave its answer to Jetty's error handling
        request.setAttribute(ProblemErrorHandler.HANDLED, trace.requestId);
        boolean upgraded = webSockets.upgrade((upgradeRequest, upgradeResponse, upgradeCallback) -> {
            if (upgrade.subProtocol() != null) {
                upgradeResponse.setAcceptedSubProtocol(upgrade.subProtocol());
            }
            return upgrade.clientEndpoint();
        }, request, response, callback);
        if (!upgraded) {
            upgrade.abandon();
            writeProblem(new ProblemException(400, "BAD_UPGRADE", "Bad Request",
                    "the WebSocket upgrade request is not valid"), trace, response, callback);
        }
    }

    private static Headers headers(HttpFields fields) {
        String connection = fields.get(HttpHeader.CONNECTION);
        Headers.Builder builder = Headers.builder();
        for (HttpField field : fields) {
            String name = field.getName();
            if (!HopByHop.isHopByHop(name, connection)) {
                builder.add(name, field.getValue());
            }
        }
        return builder.build();
    }

    private static boolean hasBody(Request request, HttpFields fields, long length) {
        if (length >= 0) {
            return length > 0;
        }
        if (fields.contains(HttpHeader.TRANSFER_ENCODING)) {
            return true;
        }
        // HTTP/2 may stream a body without declaring its length
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        String method = request.getMethod();
        return version == HttpVersion.HTTP_2 && !method.equals("GET") && !method.equals("HEAD");
    }

    private static String protocol(Request request) {
        return switch (request.getConnectionMetaData().getHttpVersion()) {
            case HTTP_2 -> "2";
            case HTTP_3 -> "3";
            case HTTP_1_0 -> "1.0";
            default -> "1.1";
        };
    }

    private void write(Response answer, Trace trace, org.eclipse.jetty.server.Response response,
                       Callback callback) throws Exception {
        response.setStatus(answer.status());
        HttpFields.Mutable out = response.getHeaders();
        Headers headers = answer.headers();
        Body body = answer.body();
        boolean streamed = body instanceof StreamedBody;
        boolean notModified = answer.status() == HttpStatus.NOT_MODIFIED_304;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            // a body in bytes gets its own length; a 304's stays, since it describes the stored body
            if (HopByHop.isFixed(name) || (!streamed && !notModified && name.equalsIgnoreCase("Content-Length"))) {
                continue;
            }
            out.add(KnownFields.of(name, headers.value(i)));
        }
        putSetByFilters(trace, out, headers);
        replace(out, KnownFields.of(RequestIds.HEADER, trace.requestId), headers);
        if (trace.content != null) {
            ClientContent.closeIfUnread(response.getRequest(), trace.content, out);
        }
        Content.Source source = streamed && ((StreamedBody) body).untouched() ? ((StreamedBody) body).take() : null;
        if (notModified) {
            writeNotModified(response, source, callback);
            return;
        }
        if (source != null) {
            Content.copy(source, response, callback);
            return;
        }
        long length = body.length();
        if (length >= 0 && length <= Integer.MAX_VALUE && !streamed) {
            byte[] bytes = body.bytes();
            out.put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return;
        }
        try (InputStream in = body.stream(); OutputStream sink = Content.Sink.asOutputStream(response)) {
            in.transferTo(sink);
        }
        callback.succeeded();
    }

    /**
     * A 304 has no body, and its Content-Length, if any, is the stored representation's. When a
     * response's first write is also its last, Jetty sets its Content-Length to what was written: 0
     * would tell a cache that freshens its copy with this answer that the body is empty. Committed
     * by an empty write first, the answer goes out without one.
     */
    private static void writeNotModified(org.eclipse.jetty.server.Response response, Content.Source upstreamBody,
                                         Callback callback) {
        // the upstream's (empty) body is still read to its end, which the upstream connection waits for
        Runnable end = upstreamBody != null ? () -> Content.copy(upstreamBody, response, callback)
                : () -> response.write(true, BufferUtil.EMPTY_BUFFER, callback);
        if (response.getHeaders().contains(HttpHeader.CONTENT_LENGTH)) {
            end.run();
        } else {
            response.write(false, BufferUtil.EMPTY_BUFFER, Callback.from(end, callback::failed));
        }
    }

    private static void writeProblem(ProblemException problem, Trace trace,
                                     org.eclipse.jetty.server.Response response, Callback callback) {
        String requestId = trace.requestId;
        if (trace.clientGone) {
            // nobody to tell, and the log said why: Jetty's error handling is told only that it is handled
            response.getRequest().setAttribute(ProblemErrorHandler.HANDLED, requestId);
            callback.failed(new org.eclipse.jetty.io.EofException("the client closed its connection"));
            return;
        }
        if (response.isCommitted()) {
            callback.failed(problem);
            return;
        }
        response.reset();
        response.setStatus(problem.status());
        HttpFields.Mutable out = response.getHeaders();
        problem.headers().forEach(out::add);
        putSetByFilters(trace, out, problem.headers());
        out.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        out.put(KnownFields.of(RequestIds.HEADER, requestId));
        ClientContent.closeIfUnread(response.getRequest(), trace.content, out);
        byte[] json = Problems.json(problem, requestId).getBytes(StandardCharsets.UTF_8);
        out.put(HttpHeader.CONTENT_LENGTH, json.length);
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    /**
     * The headers filters set for the answer ({@link Exchange#setResponseHeader}), over the answer's
     * own, then those they added ({@link Exchange#addResponseHeader}), after them.
     *
     * @param carried see {@link #replace}
     */
    private static void putSetByFilters(Trace trace, HttpFields.Mutable out, Headers carried) {
        Exchange exchange = trace.exchange;
        if (exchange == null) {
            return;
        }
        Headers set = exchange.responseHeaders();
        for (int i = 0; i < set.size(); i++) {
            String name = set.name(i);
            if (writable(name)) {
                replace(out, KnownFields.of(name, set.value(i)), carried);
            }
        }
        Headers added = exchange.addedResponseHeaders();
        for (int i = 0; i < added.size(); i++) {
            if (writable(added.name(i))) {
                out.add(KnownFields.of(added.name(i), added.value(i)));
            }
        }
    }

    /**
     * Puts a field in place of those of its name. Jetty's {@code put} makes an iterator and walks
     * every field to remove the name, the rate-limited route's largest allocation beyond the plain
     * route's; a name the answer does not carry is simply added.
     *
     * @param carried the headers already in {@code out} that may share the field's name, or
     *                {@code null} when that is not known (then always {@code put})
     */
    private static void replace(HttpFields.Mutable out, HttpField field, Headers carried) {
        if (carried != null && !carried.contains(field.getName())) {
            out.add(field);
        } else {
            out.put(field);
        }
    }

    /** Whether a filter may write this header: the framing is the answer's own, the request id the gateway's. */
    private static boolean writable(String name) {
        return !HopByHop.isFixed(name) && !name.equalsIgnoreCase("Content-Length")
                && !name.equalsIgnoreCase(RequestIds.HEADER);
    }

    private void logAccess(Request request, org.eclipse.jetty.server.Response response, Trace trace, long nanos,
                           int status) {
        if (!accessLog.enabled()) {
            return;
        }
        long micros = nanos / 1000;
        Instant arrived = clock.instant().minusNanos(micros * 1000);
        accessLog.log(new AccessEntry(arrived.toString(), trace.requestId, trace.client, trace.method, trace.path,
                trace.route, trace.target, status, Request.getContentBytesRead(request),
                org.eclipse.jetty.server.Response.getContentBytesWritten(response), micros));
    }

    /** What the access log needs to know, filled in as the request goes. */
    static final class Trace {
        final String requestId;
        final String client;
        final String method;
        final String path;
        volatile String route;
        volatile String target;
        volatile io.portico.core.observe.RouteMeters meters;
        /** The client closed its connection before its answer began: logged as 499. */
        volatile boolean clientGone;
        /** The exchange, once the request is routed: the headers its filters set for the answer. */
        volatile Exchange exchange;
        /** The client's body as handed on, once it is. */
        volatile ClientContent content;

        Trace(String requestId, String client, String method, String path) {
            this.requestId = requestId;
            this.client = client;
            this.method = method;
            this.path = path;
        }
    }

}
