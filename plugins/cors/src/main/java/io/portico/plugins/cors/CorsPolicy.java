package io.portico.plugins.cors;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** A {@link CorsFactory.Config} made ready for requests: parsed rules and the header values, built once. */
record CorsPolicy(List<OriginRule> origins, boolean anyOrigin, Set<String> methods, String methodsValue,
                  Set<String> headers, boolean anyHeader, String exposedValue, boolean credentials, String maxAgeValue) {

    static CorsPolicy of(CorsFactory.Config config) {
        List<OriginRule> origins = config.allowedOrigins().stream().map(OriginRule::parse).toList();
        Set<String> methods = config.allowedMethods().stream().map(m -> m.toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        Set<String> headers = config.allowedHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        return new CorsPolicy(origins, origins.stream().allMatch(OriginRule::any) && !config.allowCredentials(),
                methods, String.join(", ", config.allowedMethods()), headers, headers.contains("*"),
                String.join(", ", config.exposedHeaders()), config.allowCredentials(),
                Long.toString(config.maxAge().toSeconds()));
    }

    boolean allowsOrigin(String origin) {
        for (OriginRule rule : origins) {
            if (rule.allows(origin)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every header a preflight asks for is allowed; {@code requested} is the comma-separated list. */
    boolean allowsHeaders(String requested) {
        if (anyHeader || requested == null || requested.isBlank()) {
            return true;
        }
        for (String header : requested.split(",")) {
            String name = header.strip().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !headers.contains(name)) {
                return false;
            }
        }
        return true;
    }
}
