package io.portico.core.pipeline;

import io.portico.api.Exchange;
import io.portico.api.NonBlockingFilter;
import io.portico.api.ProblemException;
import io.portico.api.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link Link} for a pipeline of non-blocking filters: the same rules (proceed once, no null, a
 * failure named after its filter), with failures carried in the stage instead of thrown.
 */
final class AsyncLink implements NonBlockingFilter.NonBlockingChain {
    private final Pipeline pipeline;
    private final int index;
    private boolean proceeded;
    /** What {@link #proceed} returned to the filter before this link. */
    private CompletionStage<Response> returned;

    AsyncLink(Pipeline pipeline, int index) {
        this.pipeline = pipeline;
        this.index = index;
    }

    @Override
    public CompletionStage<Response> proceed(Exchange exchange) {
        returned = next(exchange);
        return returned;
    }

    private CompletionStage<Response> next(Exchange exchange) {
        if (proceeded) {
            return failed(new FilterFailure(pipeline.filter(index - 1).name(), "called proceed() more than once", null));
        }
        proceeded = true;
        if (exchange == null) {
            return failed(new FilterFailure(pipeline.filter(index - 1).name(), "passed a null exchange to proceed()", null));
        }
        if (index == pipeline.size()) {
            return callTerminal(exchange);
        }
        NamedFilter current = pipeline.filter(index);
        CompletionStage<Response> stage;
        AsyncLink rest = new AsyncLink(pipeline, index + 1);
        try {
            stage = ((NonBlockingFilter) current.filter()).filterAsync(exchange, rest);
        } catch (ProblemException | FilterFailure passOn) {
            return failed(passOn);
        } catch (RuntimeException | LinkageError | StackOverflowError failure) {
            return failed(new FilterFailure(current.name(), "failed: " + failure, failure));
        }
        if (stage == null) {
            return failed(new FilterFailure(current.name(), "returned null instead of a stage", null));
        }
        if (stage == rest.returned) {
            // the filter passed the rest's answer on untouched (it acted on the request alone): that
            // stage already follows these rules, so no stage of its own to check it again
            return stage;
        }
        return stage.handle(pipeline.outcome(index));
    }

    private CompletionStage<Response> callTerminal(Exchange exchange) {
        try {
            return pipeline.terminal().callAsync(exchange);
        } catch (RuntimeException failure) {
            return failed(failure instanceof ProblemException || failure instanceof FilterFailure ? failure
                    : new FilterFailure("upstream-call", "failed: " + failure, failure));
        }
    }

    private static CompletionStage<Response> failed(Throwable failure) {
        return CompletableFuture.failedFuture(failure);
    }
}
