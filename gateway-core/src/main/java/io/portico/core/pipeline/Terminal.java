package io.portico.core.pipeline;

import io.portico.api.Exchange;
import io.portico.api.Response;

/** The last step of a pipeline: the upstream call, or a filter that answers on its own. */
@FunctionalInterface
public interface Terminal {

    /** Answers the exchange; never {@code null}. */
    Response call(Exchange exchange) throws Exception;
}
