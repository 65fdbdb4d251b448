package io.portico.core.proxy;

import io.portico.api.Body;
import io.portico.api.DataSize;
import io.portico.api.Headers;
import io.portico.api.HttpCalls;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import io.portico.core.tls.TargetTls;
import io.portico.core.upstream.Target;
import io.portico.core.upstream.Upstream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.URIUtil;

/**
 * Plugins' side calls through the shared jetty-client: to a URL, or to a named upstream of the
 * configuration the plugin's filters were made for, so balancing, health and passive ejection
 * apply as for proxied requests.
 */
public final class SideCalls implements HttpCalls {
    private final HttpClient client;
    private final Map<String, Upstream> upstreams;

    /**
     * @param upstreams the configuration's named upstreams; read at call time, so a map still
     *                  being filled while the configuration builds is fine
     */
    public SideCalls(HttpClient client, Map<String, Upstream> upstreams) {
        this.client = client;
        this.upstreams = upstreams;
    }

    @Override
    public CompletableFuture<Response> send(URI target, Request request, Duration timeout, DataSize maxResponseSize) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("upstream")) {
            Upstream upstream = upstreams.get(target.getHost());
            if (upstream == null) {
                return CompletableFuture.failedFuture(new ProblemException(502, "SIDE_CALL_FAILED", "Bad Gateway",
                        "no upstream is named '" + target.getHost() + "'"));
            }
            Target chosen = upstream.select(null, Set.of());
            if (chosen == null) {
                return CompletableFuture.failedFuture(new ProblemException(503, "NO_HEALTHY_TARGET",
                        "Service Unavailable", "upstream '" + upstream.name() + "' has no healthy target"));
            }
            upstream.onStart(chosen);
            return send(chosen.spec().scheme(), chosen.spec().host(), chosen.spec().port(), chosen.tls(), upstream.name(),
                    request, timeout, maxResponseSize).whenComplete((response, failure) -> {
                        if (failure == null) {
                            upstream.onSuccess(chosen);
                        } else {
                            upstream.onFailure(chosen);
                        }
                    });
        }
        if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a side call goes to http://host[:port], https://host[:port] or upstream://NAME, not '" + target + "'"));
        }
        int port = target.getPort() > 0 ? target.getPort() : scheme.equals("https") ? 443 : 80;
        return send(scheme, target.getHost(), port, null, target.getHost(), request, timeout, maxResponseSize);
    }

    /** @param tls an upstream's TLS settings, or {@code null} for the JVM's trust store */
    private CompletableFuture<Response> send(String scheme, String host, int port, TargetTls tls, String name,
                                             Request request, Duration timeout, DataSize maxResponseSize) {
        String path = URIUtil.encodePath(request.path());
        org.eclipse.jetty.client.Request outgoing = client.newRequest(host, port).scheme(scheme).tag(tls)
                .method(request.method())
                .path(request.query() == null ? path : path + "?" + request.query())
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(fields -> HopByHop.strip(request.headers()).forEach((header, value) -> {
                    if (!header.equalsIgnoreCase("Host") && !header.equalsIgnoreCase("Content-Length")) {
                        fields.add(header, value);
                    }
                }));
        try {
            Body body = request.body();
            if (!body.isEmpty()) {
                String type = request.header("Content-Type");
                outgoing.body(body.length() >= 0 && body.length() <= 65536
                        ? new BytesRequestContent(type, body.bytes())
                        : new InputStreamRequestContent(type, body.stream()));
            }
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, maxResponseSize.bytes());
        CompletableFuture<Response> answer = new CompletableFuture<>();
        // the client completes on one of its few threads, which parse every upstream's answers; a
        // plugin's dependent stages may block or compute at length, so they get a virtual thread
        new CompletableResponseListener(outgoing, limit).send().whenComplete((response, failure) ->
                Thread.ofVirtual().name("portico-side-call").start(() -> complete(answer, response, failure, name,
                        maxResponseSize)));
        return answer;
    }

    private static void complete(CompletableFuture<Response> answer, ContentResponse response, Throwable failure,
                                 String name, DataSize maxResponseSize) {
        if (failure != null) {
            answer.completeExceptionally(failure instanceof IllegalArgumentException && failure.getMessage() != null
                    && failure.getMessage().contains("Buffering capacity")
                    ? new ProblemException(502, "SIDE_CALL_TOO_LARGE", "Bad Gateway",
                            "'" + name + "' answered more than " + maxResponseSize)
                    : UpstreamFailures.toProblem(failure, name));
        } else {
            answer.complete(convert(response));
        }
    }

    private static Response convert(ContentResponse response) {
        Headers.Builder headers = Headers.builder();
        for (HttpField field : response.getHeaders()) {
            if (field.getHeader() != HttpHeader.CONTENT_LENGTH && field.getHeader() != HttpHeader.TRANSFER_ENCODING) {
                headers.add(field.getName(), field.getValue());
            }
        }
        return new Response(response.getStatus(), HopByHop.strip(headers.build()), Body.of(response.getContent()));
    }
}
