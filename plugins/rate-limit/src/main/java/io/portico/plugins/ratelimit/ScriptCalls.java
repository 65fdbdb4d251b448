package io.portico.plugins.ratelimit;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs the rate-limit script in Redis for one request. */
interface ScriptCalls {

    /**
     * Sends one script call; the result completes with Redis' answer or the failure, or with a
     * {@link java.util.concurrent.TimeoutException} when no answer came within the answer time-out.
     */
    CompletableFuture<Object> submit(List<String> keys, List<String> arguments);
}
