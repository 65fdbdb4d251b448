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
    private final Duration readTimeout;
    private final int retries;
    private final long maxBodySize;
    private final ForwardedHeaders forwarded;
    private final WebSocketClient webSockets;

    /**
     * @param client       the gateway's one shared client
     * @param upstream     the pool to send to
     * @param rewrite      the route's strip-prefix and rewrite
     * @param preserveHost send the client's Host rather than the target's
     * @param readTimeout  idle time allowed while waiting for the upstream
     * @param retries      further attempts allowed
     * @param maxBodySize  the route's request body limit
     * @param forwarded    builds the forwarding headers
     * @param webSockets   connects proxied WebSockets upstream, over the same client
     */
    public UpstreamCall(HttpClient client, Upstream upstream, PathRewrite rewrite, boolean preserveHost,
                        Duration readTimeout, int retries, long maxBodySize, ForwardedHeaders forwarded,
                        WebSocketClient webSockets) {
        this.client = client;
        this.upstream = upstream;
        this.rewrite = rewrite;
        this.preserveHost = preserveHost;
        this.readTimeout = readTimeout;
        this.retries = retries;
        this.maxBodySize = maxBodySize;
        this.forwarded = forwarded;
        this.webSockets = webSockets;
    }

    /** The pool this call sends to. */
    public Upstream upstream() {
        return upstream;
    }

    @Override
    public Response call(Exchange exchange) throws Exception {
        Request request = exchange.request();
        ClientFacts facts = exchange.attribute(ClientFacts.KEY).orElseThrow();
        String path = request.path().equals(facts.originalPath()) ? rewrite.apply(request.path(), facts.match())
                : request.path();
        String pathAndQuery = request.query() == null ? URIUtil.encodePath(path)
                : URIUtil.encodePath(path) + "?" + request.query();
        Headers headers = forwarded.apply(HopByHop.strip(request.headers()), exchange, facts.peer(), facts.host(),
                facts.protocol());
        boolean mayRepeatBody = !(request.body() instanceof StreamedBody) || request.body().isEmpty();
        boolean idempotent = IDEMPOTENT.contains(request.method());

        Set<Target> tried = null;
        Throwable lastFailure = null;
        for (int attempt = 0; ; attempt++) {
            Target target = upstream.select(hashKey(exchange), tried == null ? Set.of() : tried);
            if (target == null) {
                if (lastFailure != null) {
                    // every target was tried: the client hears why the last one failed
                    throw UpstreamFailures.toProblem(lastFailure, upstream.name());
                }
                throw new ProblemException(503, "NO_HEALTHY_TARGET", "Service Unavailable",
                        "upstream '" + upstream.name() + "' has no healthy target");
            }
            try {
                exchange.setAttribute(TARGET, target.address());
                if (facts.webSocket()) {
                    return connectWebSocket(request, headers, pathAndQuery, target, facts);
                }
                return send(request, headers, pathAndQuery, target, facts);
            } catch (AttemptFailed failed) {
                boolean retry = attempt < retries
                        && (UpstreamFailures.neverReached(failed.getCause()) || (idempotent && mayRepeatBody));
                if (!retry || failed.getCause() instanceof LimitedSource.BodyTooLargeException) {
                    throw UpstreamFailures.toProblem(failed.getCause(), upstream.name());
                }
                lastFailure = failed.getCause();
                if (tried == null) {
                    tried = new HashSet<>();
                }
                tried.add(target);
            }
        }
    }

    private Response send(Request request, Headers headers, String pathAndQuery, Target target, ClientFacts facts)
            throws AttemptFailed, InterruptedException {
        org.eclipse.jetty.client.Request outgoing = client.newRequest(target.spec().host(), target.spec().port())
                .scheme(target.spec().scheme())
                .method(request.method())
                .path(pathAndQuery)
                .idleTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(fields -> copyHeaders(headers, fields, preserveHost ? facts.host() : null, target));
        org.eclipse.jetty.client.Request.Content content = content(request);
        if (content != null) {
            outgoing.body(content);
        }
        CompletableFuture<Arrived> arrived = new CompletableFuture<>();
        outgoing.onResponseContentSource((response, source) -> arrived.complete(new Arrived(response, source)));
        upstream.onStart(target);
        outgoing.send(result -> {
            if (result.isFailed()) {
                upstream.onFailure(target);
                arrived.completeExceptionally(result.getFailure());
            } else {
                upstream.onSuccess(target);
            }
        });
        Arrived answer;
        try {
            // jetty-client's idle timeout ends a silent upstream; this bound is a backstop only
            answer = arrived.get(readTimeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AttemptFailed(e.getCause());
        } catch (TimeoutException e) {
            outgoing.abort(e);
            throw new AttemptFailed(e);
        } catch (InterruptedException e) {
            outgoing.abort(e);
            throw e;
        }
        return new Response(answer.response().getStatus(), responseHeaders(answer.response().getHeaders(), facts),
                answer.source() == null ? Body.empty()
                        : new StreamedBody(answer.source(), answer.response().getHeaders().getLongField("Content-Length"),
                        maxBodySize));
    }

    /** Opens the upstream side of a WebSocket; the server then upgrades the client's side. */
    private Response connectWebSocket(Request request, Headers headers, String pathAndQuery, Target target,
                                      ClientFacts facts) throws AttemptFailed, InterruptedException {
        String scheme = "https".equals(target.spec().scheme()) ? "wss" : "ws";
        java.net.URI uri = java.net.URI.create(scheme + "://" + target.address() + pathAndQuery);
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest();
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
        upgrade.setTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        WebSocketRelay relay = new WebSocketRelay();
        upstream.onStart(target);
        try {
            Session session = webSockets.connect(relay, uri, upgrade).get(readTimeout.toMillis() + 5_000,
                    TimeUnit.MILLISECONDS);
            upstream.onSuccess(target);
            return new Response(101, Headers.empty(),
                    new WebSocketUpgrade(relay, session.getUpgradeResponse().getAcceptedSubProtocol()));
        } catch (ExecutionException e) {
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
        if (body instanceof StreamedBody streamed) {
            if (body.isEmpty() || !streamed.untouched()) {
                return streamed.untouched() ? null : new InputStreamRequestContent(contentType, streamed.stream());
            }
            Content.Source source = new LimitedSource(streamed.take(), maxBodySize);
            return new SourceContent(source, body.length(), contentType);
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

    private record Arrived(org.eclipse.jetty.client.Response response, Content.Source source) {
    }

    /** One attempt failed before the upstream answered; the cause says how. */
    private static final class AttemptFailed extends Exception {
        AttemptFailed(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
