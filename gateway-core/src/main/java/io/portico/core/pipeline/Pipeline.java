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

    private Pipeline(NamedFilter[] filters, Terminal terminal) {
        this.filters = filters;
        this.terminal = terminal;
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

    NamedFilter filter(int index) {
        return filters[index];
    }

    int size() {
        return filters.length;
    }

    Terminal terminal() {
        return terminal;
    }
}
