package io.portico.core.pipeline;

import io.portico.api.Exchange;
import io.portico.api.Response;
import java.util.Comparator;
import java.util.List;

/**
 * A route's filters, sorted by phase (stable, so list order holds within a phase), ending in a
 * terminal step. Built once at configuration load; running it allocates one small chain link per
 * filter and nothing else.
 */
public final class Pipeline {
    private final NamedFilter[] filters;
    private final Terminal terminal;
    private final boolean nonBlocking;
    private final FilterOutcome[] outcomes;

    private Pipeline(NamedFilter[] filters, Terminal terminal) {
        this.filters = filters;
        this.terminal = terminal;
        this.outcomes = java.util.Arrays.stream(filters).map(filter -> new FilterOutcome(filter.name()))
                .toArray(FilterOutcome[]::new);
        this.nonBlocking = java.util.Arrays.stream(filters)
                .allMatch(filter -> filter.filter() instanceof io.portico.api.NonBlockingFilter);
    }

    /**
     * Builds a pipeline.
     *
     * @param filters  in configuration order: global filters first, then the route's
     * @param terminal what answers after the last filter
     */
    public static Pipeline of(List<NamedFilter> filters, Terminal terminal) {
        NamedFilter[] sorted = filters.stream()
                .sorted(Comparator.comparing(NamedFilter::phase))
                .toArray(NamedFilter[]::new);
        return new Pipeline(sorted, terminal);
    }

    /** The filters in the order they run. */
    public List<NamedFilter> filters() {
        return List.of(filters);
    }

    /**
     * Runs the exchange through every filter and the terminal.
     *
     * @throws FilterFailure when a filter threw something other than a problem, or broke the rules
     * @throws io.portico.api.ProblemException when a filter or the terminal answered with a problem
     */
    public Response run(Exchange exchange) throws Exception {
        if (filters.length == 0) {
            return terminal.call(exchange);
        }
        return new Link(this, 0).proceed(exchange);
    }

    /** Whether every filter is non-blocking, so {@link #runAsync} may run on any thread. */
    public boolean nonBlocking() {
        return nonBlocking;
    }

    /**
     * Runs a pipeline of non-blocking filters without blocking: the stage completes when the
     * answer is known, failing with a {@link FilterFailure} or a problem as {@link #run} throws.
     *
     * @throws IllegalStateException when a filter may block
     */
    public java.util.concurrent.CompletionStage<Response> runAsync(Exchange exchange) {
        if (!nonBlocking) {
            throw new IllegalStateException("a filter of this pipeline may block; run it on a thread of its own");
        }
        return new AsyncLink(this, 0).proceed(exchange);
    }

    NamedFilter filter(int index) {
        return filters[index];
    }

    FilterOutcome outcome(int index) {
        return outcomes[index];
    }

    int size() {
        return filters.length;
    }

    Terminal terminal() {
        return terminal;
    }
}
