package io.portico.plugins.jsonxml;

import io.portico.api.DataSize;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/**
 * {@code json-xml}: converts request and/or response bodies between JSON and XML, for a client
 * and a backend that speak different ones.
 */
@Extension
public final class JsonXmlFactory implements FilterFactory<JsonXmlFactory.Config> {

    /** Which way a body is converted. */
    public enum Direction { NONE, JSON_TO_XML, XML_TO_JSON }

    /** A type a text value takes on its way to JSON. */
    public enum Type { STRING, NUMBER, BOOLEAN }

    /**
     * @param request   how the request body is converted (default none)
     * @param response  how the response body is converted (default none)
     * @param root      the root element written around JSON (default {@code root})
     * @param namespace a default namespace on that root
     * @param arrays    element paths (dot separated, from below the root) that are always JSON arrays
     * @param types     element paths whose text becomes a number or a boolean in JSON
     * @param maxBody   the largest body converted (default 1MB): a larger request gets 413, a larger response 502
     * @param maxDepth  the deepest nesting accepted (default 64)
     */
    public record Config(Direction request, Direction response, String root, String namespace, List<String> arrays,
                         Map<String, Type> types, DataSize maxBody, Integer maxDepth) {
        public Config {
            request = request == null ? Direction.NONE : request;
            response = response == null ? Direction.NONE : response;
            InvalidConfigException.require(request != Direction.NONE || response != Direction.NONE, "request",
                    "convert the request, the response, or both");
            root = root == null ? "root" : root;
            InvalidConfigException.require(root.matches("[A-Za-z_][A-Za-z0-9._-]*"), "root", "must be an XML element name");
            arrays = arrays == null ? List.of() : arrays;
            types = types == null ? Map.of() : types;
            maxBody = maxBody == null ? DataSize.ofMegabytes(1) : maxBody;
            maxDepth = maxDepth == null ? 64 : maxDepth;
            InvalidConfigException.require(maxDepth > 0 && maxDepth <= 1000, "max-depth", "must be 1 to 1000");
        }
    }

    @Override
    public String name() {
        return "json-xml";
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
        return new JsonXmlFilter(config, new JsonToXml(config.root(), config.namespace(), config.maxDepth()),
                new XmlToJson(config.maxDepth(), Set.copyOf(config.arrays()), config.types()));
    }
}
