package io.portico.core.routing;

/** Placeholder until the router lands: strip-prefix only. */
public final class PathRewrite {
    private final String stripPrefix;

    private PathRewrite(String stripPrefix) {
        this.stripPrefix = stripPrefix;
    }

    public static PathRewrite of(String stripPrefix, String rewriteTemplate) {
        return new PathRewrite(stripPrefix);
    }

    public String apply(String path, RouteMatch.Found<?> match) {
        if (stripPrefix != null && path.startsWith(stripPrefix)) {
            String rest = path.substring(stripPrefix.length());
            return rest.isEmpty() ? "/" : rest;
        }
        return path;
    }
}
