package io.portico.plugins.auth;

import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.pf4j.Extension;

/**
 * {@code acl}: who may call a route, and with which methods. Runs after authentication: 401 when
 * nobody (or only the anonymous consumer) is calling, 403 when the consumer is known but not
 * allowed.
 */
@Extension
public final class AclFactory implements FilterFactory<AclFactory.Config> {

    /**
     * @param allow     groups that may call (any of them); empty: any authenticated consumer.
     *                  Ignored when {@code rules} are given
     * @param deny      groups that may never call, whatever the rules say
     * @param anonymous whether the anonymous consumer may call; ignored when {@code rules} are given
     * @param rules     per method requirements; the first rule naming the request's method decides,
     *                  and a method no rule names is refused
     */
    public record Config(Set<String> allow, Set<String> deny, boolean anonymous, List<Rule> rules) {
        public Config {
            allow = allow == null ? Set.of() : allow;
            deny = deny == null ? Set.of() : deny;
            rules = rules == null ? List.of() : rules;
            InvalidConfigException.require(rules.isEmpty() || allow.isEmpty(), "allow",
                    "cannot be combined with rules: give each rule its groups");
        }
    }

    /**
     * @param methods   the methods this rule decides (upper case); empty: every method
     * @param groups    groups of which the consumer must be in one; empty: any authenticated consumer
     * @param scopes    scopes the consumer must all have been granted (from a token)
     * @param claims    claims that must have exactly these values
     * @param anonymous whether the anonymous consumer (or nobody) passes this rule
     */
    public record Rule(Set<String> methods, Set<String> groups, Set<String> scopes, Map<String, String> claims,
                       boolean anonymous) {
        public Rule {
            methods = methods == null ? Set.of()
                    : methods.stream().map(method -> method.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
            groups = groups == null ? Set.of() : groups;
            scopes = scopes == null ? Set.of() : scopes;
            claims = claims == null ? Map.of() : claims;
        }
    }

    @Override
    public String name() {
        return "acl";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Phase phase() {
        return Phase.AUTHORIZATION;
    }

    @Override
    public GatewayFilter create(Config config, PluginContext context) {
        List<Rule> rules = config.rules().isEmpty()
                ? List.of(new Rule(Set.of(), config.allow(), Set.of(), Map.of(), config.anonymous()))
                : config.rules();
        return new AclFilter(config.deny(), rules);
    }
}
