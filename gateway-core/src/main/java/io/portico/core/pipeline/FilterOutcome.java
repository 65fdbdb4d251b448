package io.portico.core.pipeline;

import io.portico.api.ProblemException;
import io.portico.api.Response;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

/**
 * What a non-blocking filter's stage completed with, held to {@link AsyncLink}'s rules: a failure
 * that is not a problem is named after the filter, and {@code null} is refused. One per filter,
 * made with the pipeline, so a request allocates no function of its own for it.
 */
final class FilterOutcome implements BiFunction<Response, Throwable, Response> {
    private final String filterName;

    FilterOutcome(String filterName) {
        this.filterName = filterName;
    }

    @Override
    public Response apply(Response response, Throwable thrown) {
        if (thrown != null) {
            Throwable failure = thrown instanceof CompletionException && thrown.getCause() != null
                    ? thrown.getCause() : thrown;
            throw new CompletionException(failure instanceof ProblemException || failure instanceof FilterFailure
                    ? failure : new FilterFailure(filterName, "failed: " + failure, failure));
        }
        if (response == null) {
            throw new CompletionException(new FilterFailure(filterName, "completed with null instead of a response",
                    null));
        }
        return response;
    }
}
