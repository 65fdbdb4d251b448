package io.portico.api;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Side calls from a filter to other HTTP services (a key server, an identity provider, the parts
 * of an aggregated answer), through the gateway's shared connection pools rather than a client of
 * the plugin's own.
 *
 * <p>The target is either a base URL, {@code http://10.0.0.5:8080} or {@code https://idp.example},
 * or a named upstream of the configuration, {@code upstream://users}: then a target of that pool
 * is chosen by its balancer, unhealthy targets are skipped, and failures count toward passive
 * ejection, as for proxied requests. The target's own path, if any, is ignored: the request's
 * path and query are sent.
 *
 * <p>The answer's body is read whole, up to {@code maxResponseSize}, before the future completes.
 * The future fails with a {@link ProblemException}: 502 when the service cannot be reached, resets
 * or answers more than the size allowed, 503 when a named upstream has no healthy target, 504 on
 * the timeout. A filter that lets it propagate answers the client with that problem.
 *
 * <p>Calls never block the caller: join the future from a blocking {@link GatewayFilter} (which
 * runs on a virtual thread), chain to it from a {@link NonBlockingFilter}, or compose several to
 * run them in parallel. The future completes on a virtual thread
 * of its own, never on a thread that serves connections, so stages that depend on it may block.
 */
public interface HttpCalls {

    /** Bodies of answers larger than this fail the call, unless a call says otherwise. */
    DataSize DEFAULT_MAX_RESPONSE_SIZE = DataSize.ofMegabytes(8);

    /**
     * Sends {@code request} (method, path, query, headers, body) to {@code target}.
     *
     * @param target          {@code http://host:port}, {@code https://host}, or {@code upstream://NAME}
     * @param request         what to send; hop-by-hop headers are not sent
     * @param timeout         the total time allowed, connecting included
     * @param maxResponseSize the largest answer body accepted
     */
    CompletableFuture<Response> send(URI target, Request request, Duration timeout, DataSize maxResponseSize);

    /** {@link #send(URI, Request, Duration, DataSize)} with {@link #DEFAULT_MAX_RESPONSE_SIZE}. */
    default CompletableFuture<Response> send(URI target, Request request, Duration timeout) {
        return send(target, request, timeout, DEFAULT_MAX_RESPONSE_SIZE);
    }
}
