package io.portico.core.proxy;

import io.portico.api.Body;
import io.portico.api.Exchange;
import io.portico.api.Headers;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import io.portico.core.pipeline.Terminal;
import io.portico.core.routing.PathRewrite;
import io.portico.core.upstream.Target;
import io.portico.core.upstream.Upstream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The terminal step of a proxied route: picks a target, sends the request through the shared
 * jetty-client, and returns as soon as the upstream's status and headers arrive; the body then
 * streams to the client without being held.
 *
 * <p>It retries on another target when the request surely never reached the first (connection
 * refused), or when the method is idempotent and no request body was streamed.
 */
public final class UpstreamCall implements Terminal {
    /** The target ({@code host:port}) the request was last sent to, for the access log. */
    public static final io.portico.api.AttributeKey<String> TARGET = io.portico.api.AttributeKey.of("portico.target", String.class);

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

    private final HttpClient client;
    private final Upstream upstream;
    private final PathRewrite rewrite;
    private final boolean preserveHost;
    private final long readTimeoutMillis;
    private final long keepAliveMillis;
    private final int retries;
    private final long maxBodySize;
    private final ForwardedHeaders forwarded;
    private final WebSocketClient webSockets;
    private final UpstreamConnections connections;

    /**
     * @param client       the gateway's one shared client
     * @param upstream     the pool to send to
     * @param rewrite      the route's strip-prefix and rewrite
     * @param preserveHost send the client's Host rather than the target's
     * @param readTimeout  idle time allowed while waiting for the upstream
     * @param keepAlive    idle time allowed to a kept connection (plain-HTTP targets)
     * @param retries      further attempts allowed
     * @param maxBodySize  the route's request body limit
     * @param forwarded    builds the forwarding headers
     * @param webSockets   connects proxied WebSockets upstream, over the same client
     * @param connections  the gateway's own client for plain-HTTP targets, or null to send everything
     *                     through {@code client}
     */
    public UpstreamCall(HttpClient client, Upstream upstream, PathRewrite rewrite, boolean preserveHost,
                        Duration readTimeout, Duration keepAlive, int retries, long maxBodySize,
                        ForwardedHeaders forwarded, WebSocketClient webSockets, UpstreamConnections connections) {
        this.client = client;
        this.upstream = upstream;
        this.rewrite = rewrite;
        this.preserveHost = preserveHost;
        this.readTimeoutMillis = readTimeout.toMillis();
        this.keepAliveMillis = keepAlive.toMillis();
        this.retries = retries;
        this.maxBodySize = maxBodySize;
        this.forwarded = forwarded;
        this.webSockets = webSockets;
        this.connections = connections;
    }

    /** The pool this call sends to. */
    public Upstream upstream() {
        return upstream;
    }

    @Override
    public Response call(Exchange exchange) throws Exception {
        ClientFacts facts = exchange.attribute(ClientFacts.KEY).orElseThrow();
        if (facts.webSocket()) {
            return callWebSocket(exchange, facts);
        }
        try {
            // jetty-client's idle timeout ends a silent upstream; this bound is a backstop only
            return callAsync(exchange).get(readTimeoutMillis * (retries + 1) + 30_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw UpstreamFailures.toProblem(e, upstream.name());
        }
    }

    /**
     * Sends the exchange's request and completes when the upstream's status and headers arrive
     * (or with a {@link ProblemException} when it cannot). Completion runs on jetty-client's
     * thread; nothing here blocks, so a route without filters never needs a thread of its own.
     */
    @Override
    public CompletableFuture<Response> callAsync(Exchange exchange) {
        Request request = exchange.request();
        ClientFacts facts = exchange.attribute(ClientFacts.KEY).orElseThrow();
        String path = request.path().equals(facts.originalPath()) ? rewrite.apply(request.path(), facts.match())
                : request.path();
        String encoded = URIUtil.encodePath(path);
        String pathAndQuery = request.query() == null ? encoded : encoded + "?" + request.query();
        Headers headers = forwarded.apply(HopByHop.strip(request.headers()), exchange, facts.peer(), facts.host(),
                facts.protocol());
        boolean repeatable = IDEMPOTENT.contains(request.method())
                && (!(request.body() instanceof StreamedBody) || request.body().isEmpty());
        CompletableFuture<Response> result = new CompletableFuture<>();
        new Attempts(exchange, request, headers, pathAndQuery, facts, repeatable, result).next(0);
        return result;
    }

    /** The attempts at one exchange: the first target, then others while a retry is safe. */
    private final class Attempts {
        private final Exchange exchange;
        private final Request request;
        private final Headers headers;
        private final String pathAndQuery;
        private final ClientFacts facts;
        private final boolean repeatable;
        private final CompletableFuture<Response> result;
        private Set<Target> tried = Set.of();
        private Throwable lastFailure;
        private LimitedSource streamedBody;

        Attempts(Exchange exchange, Request request, Headers headers, String pathAndQuery, ClientFacts facts,
                 boolean repeatable, CompletableFuture<Response> result) {
            this.exchange = exchange;
            this.request = request;
            this.headers = headers;
            this.pathAndQuery = pathAndQuery;
            this.facts = facts;
            this.repeatable = repeatable;
            this.result = result;
        }

        void next(int attempt) {
            Target target = upstream.select(hashKey(exchange), tried);
            if (target == null) {
                // every target was tried: the client hears why the last one failed
                result.completeExceptionally(lastFailure != null ? UpstreamFailures.toProblem(lastFailure, upstream.name())
                        : new ProblemException(503, "NO_HEALTHY_TARGET", "Service Unavailable",
                        "upstream '" + upstream.name() + "' has no healthy target"));
                return;
            }
            exchange.setAttribute(TARGET, target.address());
            java.util.function.BiConsumer<Response, Throwable> answer = (response, failure) -> {
                if (failure == null) {
                    result.complete(response);
                } else {
                    failed(attempt, target, failure);
                }
            };
            try {
                if (connections != null && (request.body() instanceof StreamedBody || request.body().length() >= 0)) {
                    sendOwn(target, answer);
                } else {
                    send(request, content(), headers, pathAndQuery, target, facts, answer);
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        /** Sends through the gateway's own client: the body streamed, held in memory, or none. */
        private void sendOwn(Target target, java.util.function.BiConsumer<Response, Throwable> answer) {
            Body body = request.body();
            byte[] bytes = null;
            Content.Source source = null;
            long framing;
            if (body instanceof StreamedBody streamed && !body.isEmpty()) {
                if (streamedBody == null && streamed.untouched()) {
                    streamedBody = new LimitedSource(streamed.take(), maxBodySize);
                }
                if (streamedBody == null) {
                    // taken by a filter without a copy passed on: content() says so
                    UpstreamCall.this.content(request);
                }
                source = streamedBody;
                framing = body.length() >= 0 ? body.length() : -1;
            } else if (!body.isEmpty()) {
                try {
                    bytes = body.bytes();
                } catch (java.io.IOException e) {
                    throw new ProblemException(400, "BODY_UNREADABLE", "Bad Request", "the request body could not be read");
                }
                framing = bytes.length;
            } else {
                // a POST with an empty body still says so, as some upstreams require (411 otherwise)
                framing = headers.first("Content-Length") != null ? 0 : -2;
            }
            String host = preserveHost && facts.host() != null ? facts.host() : target.address();
            UpstreamRequest outgoing = new UpstreamRequest(request.method(), pathAndQuery, host, headers, bytes, source,
                    framing, readTimeoutMillis, keepAliveMillis, repeatable && source == null, upstream.name(),
                    exchange.requestId(), facts.clientGone());
            upstream.onStart(target);
            connections.send(target, outgoing, new UpstreamListener() {
                @Override
                public void onHeaders(int status, HttpFields fields, Content.Source content) {
                    answer.accept(new Response(status, responseHeaders(fields, facts),
                            new StreamedBody(content, fields.getLongField("Content-Length"), maxBodySize)), null);
                }

                @Override
                public void onFailure(Throwable failure, boolean answered) {
                    if (UpstreamFailures.clientsFault(failure)) {
                        upstream.onCancel(target);
                    } else {
                        upstream.onFailure(target);
                    }
                    if (!answered) {
                        answer.accept(null, failure);
                    }
                }

                @Override
                public void onComplete() {
                    upstream.onSuccess(target);
                }
            });
        }

        /** The request body as jetty-client content; a streamed body's source is taken once. */
        private org.eclipse.jetty.client.Request.Content content() {
            if (request.body() instanceof StreamedBody streamed && !request.body().isEmpty()) {
                if (streamedBody == null && streamed.untouched()) {
                    streamedBody = new LimitedSource(streamed.take(), maxBodySize);
                }
                if (streamedBody != null) {
                    return new SourceContent(streamedBody, request.body().length(), request.header("Content-Type"));
                }
            }
            return UpstreamCall.this.content(request);
        }

        private void failed(int attempt, Target target, Throwable failure) {
            // a streamed body can be sent again only if not one byte of it has been read
            boolean bodyIntact = streamedBody == null || streamedBody.untouched();
            boolean retry = attempt < retries && !UpstreamFailures.clientsFault(failure) && bodyIntact
                    && (UpstreamFailures.neverReached(failure) || repeatable);
            if (!retry) {
                result.completeExceptionally(UpstreamFailures.toProblem(failure, upstream.name()));
                return;
            }
            lastFailure = failure;
            Set<Target> more = new HashSet<>(tried);
            more.add(target);
            tried = more;
            next(attempt + 1);
        }
    }

    private void send(Request request, org.eclipse.jetty.client.Request.Content content, Headers headers,
                      String pathAndQuery, Target target, ClientFacts facts,
                      java.util.function.BiConsumer<Response, Throwable> answer) {
        org.eclipse.jetty.client.Request outgoing = client.newRequest(target.origin())
                .tag(target.tls())
                .method(request.method())
                .path(pathAndQuery)
                .idleTimeout(readTimeoutMillis, TimeUnit.MILLISECONDS)
                .headers(fields -> copyHeaders(headers, fields, preserveHost ? facts.host() : null, target));
        if (content != null) {
            outgoing.body(content);
        }
        java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
        outgoing.onResponseContentSource((response, source) -> {
            if (answered.compareAndSet(false, true)) {
                answer.accept(new Response(response.getStatus(), responseHeaders(response.getHeaders(), facts),
                        new StreamedBody(source, response.getHeaders().getLongField("Content-Length"), maxBodySize)), null);
            }
        });
        upstream.onStart(target);
        if (facts.clientGone() != null) {
            facts.clientGone().whenGone(() -> outgoing.abort(new ClientGone.ClientGoneException()));
        }
        outgoing.send(completed -> {
            if (completed.isFailed()) {
                if (UpstreamFailures.clientsFault(completed.getFailure())) {
                    upstream.onCancel(target);
                } else {
                    upstream.onFailure(target);
                }
                if (answered.compareAndSet(false, true)) {
                    answer.accept(null, completed.getFailure());
                }
            } else {
                upstream.onSuccess(target);
            }
        });
    }

    private Response callWebSocket(Exchange exchange, ClientFacts facts) throws Exception {
        Request request = exchange.request();
        String path = request.path().equals(facts.originalPath()) ? rewrite.apply(request.path(), facts.match())
                : request.path();
        String pathAndQuery = request.query() == null ? URIUtil.encodePath(path)
                : URIUtil.encodePath(path) + "?" + request.query();
        Headers headers = forwarded.apply(HopByHop.strip(request.headers()), exchange, facts.peer(), facts.host(),
                facts.protocol());
        Set<Target> tried = new HashSet<>();
        Throwable lastFailure = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            Target target = upstream.select(hashKey(exchange), tried);
            if (target == null) {
                break;
            }
            exchange.setAttribute(TARGET, target.address());
            try {
                return connectWebSocket(request, headers, pathAndQuery, target, facts);
            } catch (AttemptFailed failed) {
                lastFailure = failed.getCause();
                if (!UpstreamFailures.neverReached(lastFailure)) {
                    break;
                }
                tried.add(target);
            }
        }
        if (lastFailure != null) {
            throw UpstreamFailures.toProblem(lastFailure, upstream.name());
        }
        throw new ProblemException(503, "NO_HEALTHY_TARGET", "Service Unavailable",
                "upstream '" + upstream.name() + "' has no healthy target");
    }

    /** Opens the upstream side of a WebSocket; the server then upgrades the client's side. */
    private Response connectWebSocket(Request request, Headers headers, String pathAndQuery, Target target,
                                      ClientFacts facts) throws AttemptFailed, InterruptedException {
        String scheme = "https".equals(target.spec().scheme()) ? "wss" : "ws";
        java.net.URI uri = java.net.URI.create(scheme + "://" + target.address() + pathAndQuery);
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest();
        if (target.tls() != null) {
            upgrade.tag(target.tls()); // TargetTlsRouter makes the connection's TLS from it
        }
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.regionMatches(true, 0, "Sec-WebSocket-", 0, 14) || name.equalsIgnoreCase("Host")) {
                continue;
            }
            upgrade.setHeader(name, headers.all(name));
        }
        if (preserveHost && facts.host() != null) {
            upgrade.setHeader("Host", facts.host());
        }
        String protocols = request.header("Sec-WebSocket-Protocol");
        if (protocols != null) {
            upgrade.setSubProtocols(java.util.Arrays.stream(protocols.split(",")).map(String::strip).toList());
        }
        upgrade.setTimeout(readTimeoutMillis, TimeUnit.MILLISECONDS);
        WebSocketRelay relay = new WebSocketRelay();
        WebSocketRefusal refusal = new WebSocketRefusal();
        upstream.onStart(target);
        try {
            Session session = webSockets.connect(relay, uri, upgrade, refusal).get(readTimeoutMillis + 5_000,
                    TimeUnit.MILLISECONDS);
            upstream.onSuccess(target);
            return new Response(101, Headers.empty(),
                    new WebSocketUpgrade(relay, session.getUpgradeResponse().getAcceptedSubProtocol()));
        } catch (ExecutionException e) {
            int refusedWith = UpstreamFailures.upgradeRefusedWith(e.getCause());
            if (refusedWith > 0) {
                // the upstream answered, only not with 101: it is up, and the client hears what it said
                upstream.onSuccess(target);
                throw refusal.passOn(UpstreamFailures.upgradeRefused(refusedWith, upstream.name()), refusedWith);
            }
            upstream.onFailure(target);
            throw new AttemptFailed(e.getCause());
        } catch (TimeoutException | java.io.IOException e) {
            upstream.onFailure(target);
            throw new AttemptFailed(e);
        }
    }

    private org.eclipse.jetty.client.Request.Content content(Request request) {
        Body body = request.body();
        String contentType = request.header("Content-Type");
        if (body instanceof StreamedBody) {
            if (body.isEmpty()) {
                return null;
            }
            throw new IllegalStateException("a filter read the request body without passing a copy on "
                    + "(use request.withBody(Body.of(bytes)))");
        }
        if (body.isEmpty()) {
            return null;
        }
        long length = body.length();
        if (length >= 0 && length <= Integer.MAX_VALUE) {
            try {
                return new BytesRequestContent(contentType, body.bytes());
            } catch (java.io.IOException e) {
                throw new ProblemException(400, "BODY_UNREADABLE", "Bad Request", "the request body could not be read");
            }
        }
        return new InputStreamRequestContent(contentType, body.stream());
    }

    private static void copyHeaders(Headers headers, HttpFields.Mutable fields, String clientHost, Target target) {
        fields.clear();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")) {
                continue;
            }
            fields.add(name, headers.value(i));
        }
        String length = headers.first("Content-Length");
        if (length != null) {
            fields.put("Content-Length", length);
        }
        fields.put("Host", clientHost != null ? clientHost : target.address());
    }

    private Headers responseHeaders(HttpFields fields, ClientFacts facts) {
        String connection = fields.get("Connection");
        Headers.Builder out = Headers.builder();
        String via = null;
        for (var field : fields) {
            String name = field.getName();
            // the gateway's server writes its own Date; two would confuse caches
            if (HopByHop.isHopByHop(name, connection) || name.equalsIgnoreCase("Date")) {
                continue;
            }
            if (name.equalsIgnoreCase("Via")) {
                via = via == null ? field.getValue() : via + ", " + field.getValue();
                continue;
            }
            out.add(name, field.getValue());
        }
        out.add("Via", forwarded.via(via, facts.protocol()));
        return out.build();
    }

    private String hashKey(Exchange exchange) {
        var hashOn = upstream.hashOn();
        if (hashOn == null) {
            return null;
        }
        return switch (hashOn.source()) {
            case HEADER -> exchange.request().header(hashOn.name());
            case COOKIE -> Cookies.value(exchange.request().headers(), hashOn.name());
            case CLIENT_IP -> exchange.clientAddress();
        };
    }

    /** One attempt failed before the upstream answered; the cause says how. */
    private static final class AttemptFailed extends Exception {
        AttemptFailed(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
