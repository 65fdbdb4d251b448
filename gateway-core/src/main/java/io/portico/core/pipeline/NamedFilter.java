package io.portico.core.pipeline;

import io.portico.api.GatewayFilter;
import io.portico.api.Phase;
import java.util.Objects;

/**
 * A filter as placed in a pipeline: the name it was configured under and its phase.
 *
 * @param name   the plugin name, for errors and {@code explain}
 * @param phase  where it runs
 * @param filter the filter itself
 */
public record NamedFilter(String name, Phase phase, GatewayFilter filter) {
    public NamedFilter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(filter, "filter");
    }
}
