package io.portico.core.pipeline;

import io.portico.api.Exchange;
import io.portico.api.FilterChain;
import io.portico.api.ProblemException;
import io.portico.api.Response;

/**
 * The chain as seen by filter {@code index - 1}: proceeding runs filter {@code index}, or the
 * terminal after the last one. Each link may be proceeded once.
 */
final class Link implements FilterChain {
    private final Pipeline pipeline;
    private final int index;
    private boolean proceeded;

    Link(Pipeline pipeline, int index) {
        this.pipeline = pipeline;
        this.index = index;
    }

    @Override
    public Response proceed(Exchange exchange) throws Exception {
        if (proceeded) {
            throw new FilterFailure(pipeline.filter(index - 1).name(), "called proceed() more than once", null);
        }
        proceeded = true;
        if (exchange == null) {
            throw new FilterFailure(pipeline.filter(index - 1).name(), "passed a null exchange to proceed()", null);
        }
        if (index == pipeline.size()) {
            return callTerminal(exchange);
        }
        NamedFilter current = pipeline.filter(index);
        Response response;
        try {
            response = current.filter().filter(exchange, new Link(pipeline, index + 1));
        } catch (ProblemException | FilterFailure passOn) {
            throw passOn;
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.ExecutionException wrapped) {
            // join() or get() on a side call wraps the problem it failed with: that is the answer
            if (wrapped.getCause() instanceof ProblemException problem) {
                throw problem;
            }
            throw new FilterFailure(current.name(), "failed: " + wrapped, wrapped);
        } catch (Exception | LinkageError | StackOverflowError failure) {
            throw new FilterFailure(current.name(), "failed: " + failure, failure);
        }
        if (response == null) {
            throw new FilterFailure(current.name(), "returned null instead of a response", null);
        }
        return response;
    }

    private Response callTerminal(Exchange exchange) throws Exception {
        Response response;
        try {
            response = pipeline.terminal().call(exchange);
        } catch (ProblemException | FilterFailure passOn) {
            throw passOn;
        } catch (Exception failure) {
            // a failure of the terminal must not be blamed on the last filter
            throw new FilterFailure("upstream-call", "failed: " + failure, failure);
        }
        if (response == null) {
            throw new FilterFailure("upstream-call", "returned null instead of a response", null);
        }
        return response;
    }
}
