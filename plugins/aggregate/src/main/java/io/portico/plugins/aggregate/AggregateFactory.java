package io.portico.plugins.aggregate;

import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.pf4j.Extension;

/**
 * {@code aggregate}: answers a route with one JSON document composed from several upstream calls,
 * made in parallel through the gateway's pools; a part whose URL takes a value from another part's
 * answer waits for that part. The route's own upstream is not called.
 */
@Extension
public final class AggregateFactory implements FilterFactory<AggregateFactory.Config> {

    /** How the parts' answers become one. */
    public enum Merge { KEYS, DEEP }

    /** What an optional part that failed leaves in the answer. */
    public enum OnMissing { OMIT, NULL }

    /**
     * @param parts          the calls, in the order their answers are merged
     * @param merge          {@code keys} (default): each answer under its part's name; {@code deep}:
     *                       the answers' objects merged into one, later parts winning
     * @param onMissing      {@code omit} (default) or {@code null} for an optional part that failed
     * @param forwardHeaders client headers sent with every part (default {@code [Authorization]});
     *                       {@code X-Request-Id} always is
     */
    public record Config(List<Part> parts, Merge merge, OnMissing onMissing, List<String> forwardHeaders) {
        public Config {
            InvalidConfigException.require(parts != null && !parts.isEmpty(), "parts", "name at least one part");
            merge = merge == null ? Merge.KEYS : merge;
            onMissing = onMissing == null ? OnMissing.OMIT : onMissing;
            forwardHeaders = forwardHeaders == null ? List.of("Authorization") : forwardHeaders;
            Set<String> names = new HashSet<>();
            for (Part part : parts) {
                InvalidConfigException.require(names.add(part.name()), "parts", "two parts are named '" + part.name() + "'");
            }
        }
    }

    /**
     * @param name     the key of its answer, and how other parts refer to it
     * @param url      {@code upstream://NAME/path}, {@code http://host:port/path}, with placeholders
     * @param method   default {@code GET}
     * @param timeout  default 5s
     * @param required default true: its failure fails the whole answer
     */
    public record Part(String name, String url, String method, Duration timeout, Boolean required) {
        public Part {
            InvalidConfigException.require(name != null && name.matches("[A-Za-z][A-Za-z0-9_-]*"), "name",
                    "must be set: letters, digits, '_' or '-'");
            InvalidConfigException.require(url != null, "url", "must be set");
            method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            required = required == null || required;
        }
    }

    @Override
    public String name() {
        return "aggregate";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Phase phase() {
        return Phase.TRANSFORM;
    }

    @Override
    public GatewayFilter create(Config config, PluginContext context) {
        List<PartPlan> plans = new ArrayList<>();
        Set<String> earlier = new HashSet<>();
        for (Part part : config.parts()) {
            UrlTemplate url;
            try {
                url = UrlTemplate.parse(part.url());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("part '" + part.name() + "': " + e.getMessage(), e);
            }
            for (String needed : url.needs()) {
                if (!earlier.contains(needed)) {
                    throw new IllegalArgumentException("part '" + part.name() + "' takes a value from '" + needed
                            + "', which must be listed before it");
                }
            }
            plans.add(new PartPlan(part, url));
            earlier.add(part.name());
        }
        return new AggregateFilter(List.copyOf(plans), config, context.http());
    }
}
