package io.portico.plugins.soap;

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
 * {@code soap}: exposes one operation of a SOAP 1.1 or 1.2 service as a JSON endpoint. The client's
 * request becomes a SOAP envelope built from a template; the service's answer comes back as JSON,
 * and a SOAP Fault as a problem response.
 */
@Extension
public final class SoapFactory implements FilterFactory<SoapFactory.Config> {

    /**
     * @param version     {@code 1.1} (default) or {@code 1.2}; with a WSDL, the operation's binding decides
     * @param action      the SOAP action: the {@code SOAPAction} header (1.1) or the {@code action}
     *                    parameter of the Content-Type (1.2); with a WSDL, taken from it
     * @param path        the service's path on the route's upstream (default: the WSDL address's path, else
     *                    the route's own path rewriting)
     * @param body        the content of the SOAP Body, with {@code {path.x}}, {@code {query.x}},
     *                    {@code {header.x}} and {@code {body.a.b}} placeholders and {@code {query.x:-default}}
     * @param faultStatus the status of the problem response that a SOAP Fault becomes (default 502)
     * @param arrays      element paths of the answer (dot separated, below the Body's first element) that are always arrays
     * @param types       element paths of the answer whose text becomes a {@code number} or {@code boolean}
     * @param maxBody     the largest client body and service answer read (default 1MB)
     * @param maxDepth    the deepest nesting accepted in an answer (default 64)
     * @param wsdl        a WSDL 1.1 file, relative to Portico's home (the plugin context's folder), read at load
     * @param operation   the WSDL operation this route calls (required with {@code wsdl})
     */
    public record Config(String version, String action, String path, String body, Integer faultStatus,
                         List<String> arrays, Map<String, SoapXml.Type> types, DataSize maxBody, Integer maxDepth,
                         String wsdl, String operation) {
        public Config {
            InvalidConfigException.require(body != null && !body.isBlank(), "body",
                    "the content of the SOAP Body is required, such as <GetUser xmlns=\"urn:users\"><id>{path.id}</id></GetUser>");
            if (version != null) {
                try {
                    SoapVersion.parse(version);
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigException("version", e.getMessage());
                }
            }
            faultStatus = faultStatus == null ? 502 : faultStatus;
            InvalidConfigException.require(faultStatus >= 400 && faultStatus <= 599, "fault-status", "must be 400 to 599");
            InvalidConfigException.require(path == null || path.startsWith("/"), "path", "must start with /");
            InvalidConfigException.require((wsdl == null) == (operation == null), wsdl == null ? "wsdl" : "operation",
                    "wsdl and operation go together");
            arrays = arrays == null ? List.of() : List.copyOf(arrays);
            types = types == null ? Map.of() : Map.copyOf(types);
            maxBody = maxBody == null ? DataSize.ofMegabytes(1) : maxBody;
            maxDepth = maxDepth == null ? 64 : maxDepth;
            InvalidConfigException.require(maxDepth > 0 && maxDepth <= 1000, "max-depth", "must be 1 to 1000");
        }
    }

    @Override
    public String name() {
        return "soap";
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
        SoapXml xml = new SoapXml(config.maxDepth(), Set.copyOf(config.arrays()), config.types());
        EnvelopeTemplate template;
        try {
            template = EnvelopeTemplate.parse(config.body(), xml);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("body", "body is not well-formed XML: " + e.getMessage());
        }
        SoapVersion version = config.version() == null ? SoapVersion.V1_1 : SoapVersion.parse(config.version());
        String action = config.action();
        String path = config.path();
        if (config.wsdl() != null) {
            Wsdl wsdl;
            try {
                wsdl = Wsdl.read(context.configFolder().resolve(config.wsdl()), config.operation(), xml);
            } catch (IllegalArgumentException e) {
                String field = e.getMessage().contains("no SOAP operation") ? "operation" : "wsdl";
                throw new InvalidConfigException(field, field + ": " + e.getMessage());
            }
            version = config.version() == null ? wsdl.version() : version;
            action = action == null ? wsdl.action() : action;
            path = path == null ? wsdl.addressPath() : path;
        }
        return new SoapFilter(version, action, path, template, xml, config.faultStatus(), config.maxBody().bytes());
    }
}
