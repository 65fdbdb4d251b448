package io.portico.core.config;

import io.portico.api.DataSize;
import io.portico.api.InvalidConfigException;
import java.time.Duration;
import java.util.List;

/**
 * One route: what it matches, where it sends requests, and its filters.
 *
 * @param id           unique among routes; used in logs and metrics
 * @param match        what requests it takes
 * @param upstream     the name of an upstream pool, or:
 * @param url          a single upstream URL ({@code http://127.0.0.1:9000})
 * @param stripPrefix  a leading path to remove before forwarding ({@code /api})
 * @param rewrite      a path template to forward instead ({@code /v2/users/{id}})
 * @param preserveHost forward the client's {@code Host} instead of the target's; default false
 * @param timeout      overrides the upstream's read timeout for this route
 * @param maxBodySize  overrides the server's request body limit for this route
 * @param plugins      filters for this route, after the global ones of the same phase
 */
public record RouteConfig(String id, MatchConfig match, String upstream, String url, String stripPrefix,
                          String rewrite, Boolean preserveHost, Duration timeout, DataSize maxBodySize,
                          List<PluginEntry> plugins) {

    public RouteConfig {
        InvalidConfigException.require(id != null && id.matches("[A-Za-z0-9._-]+"), "id",
                "must be set, with letters, digits, '.', '_' or '-' only");
        match = match == null ? MatchConfig.any() : match;
        InvalidConfigException.require(upstream != null || url != null, "upstream", "set upstream (a pool's name) or url");
        InvalidConfigException.require(upstream == null || url == null, "url", "set either upstream or url, not both");
        InvalidConfigException.require(stripPrefix == null || (stripPrefix.startsWith("/") && !stripPrefix.endsWith("/")),
                "stripPrefix", "must start with '/' and not end with '/'");
        InvalidConfigException.require(rewrite == null || rewrite.startsWith("/"), "rewrite", "must start with '/'");
        InvalidConfigException.require(rewrite == null || stripPrefix == null, "rewrite",
                "set either strip-prefix or rewrite, not both: a rewrite states the whole upstream path");
        preserveHost = preserveHost != null && preserveHost;
        plugins = plugins == null ? List.of() : plugins;
    }
}
