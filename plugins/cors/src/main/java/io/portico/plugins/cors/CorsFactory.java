package io.portico.plugins.cors;

import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code cors}: answers CORS preflight requests at the gateway, without calling the upstream, and
 * adds the CORS response headers to actual requests from allowed origins. A request from an origin
 * that is not allowed is passed on without CORS headers (the browser then refuses the answer to
 * the page); a preflight from one is answered 403.
 */
@Extension
public final class CorsFactory implements FilterFactory<CorsFactory.Config> {

    /**
     * @param allowedOrigins   origins let in: exact, {@code https://*.example.com}, {@code ~regex}, or {@code *}
     * @param allowedMethods   methods a preflight may ask for; default GET, HEAD, POST
     * @param allowedHeaders   request headers a preflight may ask for, case-insensitive; {@code *}
     *                         allows any; default Accept, Accept-Language, Content-Language,
     *                         Content-Type, Authorization
     * @param exposedHeaders   response headers the page may read
     * @param allowCredentials whether cookies and credentials may be sent; not with origin {@code *}
     * @param maxAge           how long a browser may cache a preflight answer; default 10m
     */
    public record Config(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                         List<String> exposedHeaders, Boolean allowCredentials, Duration maxAge) {
        public Config {
            InvalidConfigException.require(allowedOrigins != null && !allowedOrigins.isEmpty(), "allowed-origins",
                    "name at least one origin, such as https://app.example.com");
            allowedOrigins = List.copyOf(allowedOrigins);
            for (String origin : allowedOrigins) {
                try {
                    OriginRule.parse(origin);
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigException("allowed-origins", e.getMessage());
                }
            }
            allowedMethods = allowedMethods == null ? List.of("GET", "HEAD", "POST") : List.copyOf(allowedMethods);
            allowedHeaders = allowedHeaders == null
                    ? List.of("Accept", "Accept-Language", "Content-Language", "Content-Type", "Authorization")
                    : List.copyOf(allowedHeaders);
            exposedHeaders = exposedHeaders == null ? List.of() : List.copyOf(exposedHeaders);
            allowCredentials = allowCredentials != null && allowCredentials;
            maxAge = maxAge == null ? Duration.ofMinutes(10) : maxAge;
            InvalidConfigException.require(!(allowCredentials && allowedOrigins.contains("*")), "allow-credentials",
                    "browsers refuse credentials with origin '*'; list the origins that may send credentials");
        }
    }

    @Override
    public String name() {
        return "cors";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Phase phase() {
        return Phase.EDGE;
    }

    @Override
    public GatewayFilter create(Config config, PluginContext context) {
        return new CorsFilter(CorsPolicy.of(config));
    }
}
