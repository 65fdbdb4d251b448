package io.portico.plugins.cache;

import io.portico.api.Exchange;
import io.portico.api.NonBlockingFilter;
import io.portico.api.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The cache as a non-blocking filter: a fresh hit is answered at once, on the thread that read
 * the request, which is what makes a hit cheaper than the upstream call; everything else (a miss
 * that reads the body to store it, waiting for a concurrent fetch of the same key) moves to a
 * virtual thread of its own and runs {@link CacheFilter} as it runs on a blocking route.
 */
final class NonBlockingCacheFilter implements NonBlockingFilter {
    private final CacheFilter cache;
    private final Executor virtualThreads = task -> Thread.ofVirtual().name("portico-cache").start(task);

    NonBlockingCacheFilter(CacheFilter cache) {
        this.cache = cache;
    }

    @Override
    public CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain) {
        Response hit = cache.freshHit(exchange);
        if (hit != null) {
            return CompletableFuture.completedFuture(hit);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cache.filter(exchange, next -> {
                    try {
                        return chain.proceed(next).toCompletableFuture().join();
                    } catch (CompletionException e) {
                        throw e.getCause() instanceof Exception cause ? cause : e;
                    }
                });
            } catch (Exception e) {
                throw e instanceof CompletionException completion ? completion : new CompletionException(e);
            }
        }, virtualThreads);
    }
}
