package io.portico.plugins.headers;

import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.NonBlockingFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import io.portico.api.Template;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code headers}: adds, sets, removes and renames request headers (before the upstream call) and
 * response headers (after it), with values from templates such as {@code {consumer.id}}. Runs in
 * the transform phase, so the consumer found by authentication is known.
 */
@Extension
public final class HeadersFactory implements FilterFactory<HeadersFactory.Config> {

    /**
     * @param request  changes to the request sent upstream
     * @param response changes to the response sent to the client
     */
    public record Config(Side request, Side response) {
    }

    /**
     * @param remove names removed
     * @param rename old name to new name, all values kept
     * @param set    name to template: replaces any value
     * @param add    name to template: appends a value
     */
    public record Side(List<String> remove, Map<String, String> rename, Map<String, String> set,
                       Map<String, String> add) {
        public Side {
            remove = remove == null ? List.of() : List.copyOf(remove);
            rename = rename == null ? Map.of() : rename;
            set = set == null ? Map.of() : set;
            add = add == null ? Map.of() : add;
            for (String name : remove) {
                requireToken(name, "remove");
            }
            rename.forEach((from, to) -> {
                requireToken(from, "rename");
                requireToken(to, "rename");
            });
            set.keySet().forEach(name -> requireToken(name, "set"));
            add.keySet().forEach(name -> requireToken(name, "add"));
        }

        private static void requireToken(String name, String field) {
            InvalidConfigException.require(name != null && name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"), field,
                    "'" + name + "' is not a valid header name");
        }
    }

    @Override
    public String name() {
        return "headers";
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
        HeaderChanges request = compile("request", config.request());
        HeaderChanges response = compile("response", config.response());
        NonBlockingFilter filter = (exchange, chain) -> {
            var forwarded = request.isEmpty() ? exchange : exchange.withRequest(
                    exchange.request().withHeaders(request.apply(exchange.request().headers(), exchange)));
            var answer = chain.proceed(forwarded);
            return response.isEmpty() ? answer
                    : answer.thenApply(upstream -> upstream.withHeaders(response.apply(upstream.headers(), exchange)));
        };
        return filter;
    }

    private static HeaderChanges compile(String side, Side config) {
        if (config == null) {
            return HeaderChanges.NONE;
        }
        return new HeaderChanges(config.remove(), Map.copyOf(config.rename()), templates(side + ".set", config.set()),
                templates(side + ".add", config.add()));
    }

    private static Map<String, Template> templates(String where, Map<String, String> values) {
        Map<String, Template> compiled = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            try {
                compiled.put(name, Template.parse(value == null ? "" : value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "." + name + ": " + e.getMessage());
            }
        });
        return compiled;
    }
}
