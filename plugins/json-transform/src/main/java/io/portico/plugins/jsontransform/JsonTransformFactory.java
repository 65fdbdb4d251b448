package io.portico.plugins.jsontransform;

import io.portico.api.DataSize;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code json-transform}: removes, renames and adds fields of JSON request and response bodies by
 * path, with values from templates.
 */
@Extension
public final class JsonTransformFactory implements FilterFactory<JsonTransformFactory.Config> {

    /**
     * The changes to one body, applied in this order.
     *
     * @param remove field paths removed
     * @param rename field paths moved to other paths (within the same array elements)
     * @param add    field paths set to a template's value where the field is absent
     * @param set    field paths set to a template's value, replacing what is there
     */
    public record Side(List<String> remove, Map<String, String> rename, Map<String, String> add, Map<String, String> set) {
        public Side {
            remove = remove == null ? List.of() : List.copyOf(remove);
            // file order is the order of application
            rename = rename == null ? Map.of() : new LinkedHashMap<>(rename);
            add = add == null ? Map.of() : new LinkedHashMap<>(add);
            set = set == null ? Map.of() : new LinkedHashMap<>(set);
        }
    }

    /**
     * @param request  the changes to the request body
     * @param response the changes to the response body
     * @param maxBody  the largest body changed (default 1MB): a larger request gets 413, a larger response 502
     */
    public record Config(Side request, Side response, DataSize maxBody) {
        public Config {
            InvalidConfigException.require(request != null || response != null, "request",
                    "give request and/or response changes");
            maxBody = maxBody == null ? DataSize.ofMegabytes(1) : maxBody;
        }
    }

    @Override
    public String name() {
        return "json-transform";
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
        return new JsonTransformFilter(BodyChanges.compile("request", config.request()),
                BodyChanges.compile("response", config.response()), config.maxBody().bytes());
    }
}
