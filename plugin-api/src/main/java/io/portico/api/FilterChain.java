package io.portico.api;

/**
 * The rest of a pipeline, as seen from one filter. Calling {@link #proceed(Exchange)} runs the next
 * filter, and in the end the upstream call, and returns what they answered.
 *
 * <p>Each chain may be proceeded once; a second call throws {@link IllegalStateException} naming
 * the filter.
 */
@FunctionalInterface
public interface FilterChain {

    /**
     * Passes the exchange on.
     *
     * @param exchange the exchange to pass on: the one received, or a copy made with {@code withX}
     * @return the response from further down the pipeline, never {@code null}
     * @throws Exception what further filters or the upstream call threw
     */
    Response proceed(Exchange exchange) throws Exception;
}
