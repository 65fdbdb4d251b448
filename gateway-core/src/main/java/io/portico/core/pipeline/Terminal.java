package io.portico.core.pipeline;

import io.portico.api.Exchange;
import io.portico.api.Response;

/** The last step of a pipeline: the upstream call, or a filter that answers on its own. */
@FunctionalInterface
public interface Terminal {

    /** Answers the exchange; never {@code null}. */
    Response call(Exchange exchange) throws Exception;

    /**
     * Answers without blocking the caller, for pipelines of non-blocking filters. The default
     * calls {@link #call} in place: right for terminals that only compute.
     */
    default java.util.concurrent.CompletableFuture<Response> callAsync(Exchange exchange) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(call(exchange));
        } catch (Exception e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }
}
