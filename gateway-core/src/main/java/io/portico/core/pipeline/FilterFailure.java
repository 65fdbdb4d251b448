package io.portico.core.pipeline;

/**
 * A filter threw, or broke the chain's rules. Carries the filter's name so the log and the
 * operator know which plugin failed; the client only sees a 500 problem with the request id.
 */
public final class FilterFailure extends RuntimeException {
    private final String filterName;

    FilterFailure(String filterName, String message, Throwable cause) {
        super("filter '" + filterName + "' " + message, cause);
        this.filterName = filterName;
    }

    /** The name of the filter at fault, as configured ({@code key-auth}). */
    public String filterName() {
        return filterName;
    }
}
