package io.portico.core.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a route changes the path before it goes upstream: built once per route at load.
 *
 * <ul>
 *   <li>{@code stripPrefix} {@code /api}: {@code /api/orders/1} goes up as {@code /orders/1},
 *       {@code /api} as {@code /}. The prefix is removed only on a segment boundary
 *       ({@code /apiary} keeps its path), and a path without it is left alone.
 *   <li>{@code rewriteTemplate} {@code /v2/users/{id}}: the whole upstream path, with each
 *       <code>{name}</code> replaced by the path variable of that name. <code>{**}</code> stands
 *       for the rest of the path that {@code **} matched, without its leading slash
 *       ({@code orders/1}); a template ending in {@code /**} appends that rest as
 *       {@code /orders/1}, or nothing when the rest is empty.
 * </ul>
 * Both produce a decoded path, like the one matched; encoding it for the upstream request is the
 * caller's job. Without either, the path goes up as it came. Immutable and thread-safe.
 */
public final class PathRewrite {
    private static final PathRewrite NONE = new PathRewrite(null, null, List.of(), List.of());

    /** One piece of a template. */
    private enum PartKind {
        LITERAL,
        VARIABLE,
        /** The rest matched by {@code **}, inserted bare: <code>{**}</code>. */
        REST,
        /** The rest matched by {@code **}, after a slash when not empty: a final {@code /**}. */
        SLASH_REST
    }

    private record Part(PartKind kind, String text) {
    }

    private final String stripPrefix;
    private final String template;
    private final Part[] parts;
    private final List<String> variableNames;

    private PathRewrite(String stripPrefix, String template, List<Part> parts,
                        List<String> variableNames) {
        this.stripPrefix = stripPrefix;
        this.template = template;
        this.parts = parts.toArray(new Part[0]);
        this.variableNames = List.copyOf(variableNames);
    }

    /**
     * A rewrite from a route's {@code strip-prefix} and {@code rewrite}; either may be {@code null},
     * not both set.
     *
     * @throws IllegalArgumentException when the prefix or the template is malformed, or both are
     *                                  given (the template already states the whole path)
     */
    public static PathRewrite of(String stripPrefix, String rewriteTemplate) {
        if (stripPrefix != null && rewriteTemplate != null) {
            throw new IllegalArgumentException("strip-prefix '" + stripPrefix + "' and rewrite '"
                    + rewriteTemplate + "' cannot be combined: the rewrite states the whole path");
        }
        if (stripPrefix != null) {
            return new PathRewrite(checkPrefix(stripPrefix), null, List.of(), List.of());
        }
        if (rewriteTemplate != null) {
            List<String> names = new ArrayList<>();
            return new PathRewrite(null, rewriteTemplate, parseTemplate(rewriteTemplate, names), names);
        }
        return NONE;
    }

    private static String checkPrefix(String prefix) {
        if (!prefix.startsWith("/") || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0
                || prefix.indexOf('*') >= 0 || prefix.contains("//")) {
            throw new IllegalArgumentException("strip-prefix '" + prefix
                    + "': must be a literal path starting with '/', without variables or '*'");
        }
        return prefix.length() > 1 && prefix.endsWith("/")
                ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    private static List<Part> parseTemplate(String template, List<String> names) {
        if (!template.startsWith("/")) {
            throw badTemplate(template, "it must start with '/'");
        }
        List<Part> parts = new ArrayList<>();
        String body = template;
        boolean slashRest = false;
        if (template.endsWith("/**")) {
            body = template.substring(0, template.length() - 3);
            slashRest = true;
        }
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == '{') {
                int close = body.indexOf('}', i);
                if (close < 0) {
                    throw badTemplate(template, "unclosed '{'");
                }
                String name = body.substring(i + 1, close);
                if (literal.length() > 0) {
                    parts.add(new Part(PartKind.LITERAL, literal.toString()));
                    literal.setLength(0);
                }
                if (name.equals("**")) {
                    parts.add(new Part(PartKind.REST, null));
                } else if (PathPattern.isVariableName(name)) {
                    parts.add(new Part(PartKind.VARIABLE, name));
                    if (!names.contains(name)) {
                        names.add(name);
                    }
                } else {
                    throw badTemplate(template, "'{" + name + "}' is not a variable name");
                }
                i = close + 1;
            } else if (c == '}') {
                throw badTemplate(template, "'}' without '{'");
            } else if (c == '*') {
                throw badTemplate(template, "'*' is only allowed as '{**}' or a final '/**'");
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Part(PartKind.LITERAL, literal.toString()));
        }
        if (slashRest) {
            parts.add(new Part(PartKind.SLASH_REST, null));
        }
        return parts;
    }

    private static IllegalArgumentException badTemplate(String template, String why) {
        return new IllegalArgumentException("rewrite '" + template + "': " + why);
    }

    /**
     * Checks at load that every path of {@code route} binds what the template uses: each variable,
     * and a {@code /**} for <code>{**}</code>.
     *
     * @throws IllegalArgumentException naming the route, the path and what it lacks
     */
    public void validateFor(RouteSpec<?> route) {
        if (template == null) {
            return;
        }
        boolean usesRest = false;
        for (Part part : parts) {
            usesRest |= part.kind() == PartKind.REST || part.kind() == PartKind.SLASH_REST;
        }
        List<String> paths = route.paths().isEmpty() ? List.of("/**") : route.paths();
        for (String path : paths) {
            PathPattern pattern = PathPattern.parse(route.id(), path);
            for (String name : variableNames) {
                if (!pattern.hasVariable(name)) {
                    throw new IllegalArgumentException("route '" + route.id() + "': rewrite '"
                            + template + "' uses {" + name + "}, which path '" + path + "' does not bind");
                }
            }
            if (usesRest && !pattern.catchAll()) {
                throw new IllegalArgumentException("route '" + route.id() + "': rewrite '" + template
                        + "' uses the rest of the path, but path '" + path + "' does not end in /**");
            }
        }
    }

    /**
     * The path to send upstream.
     *
     * @param path  the request's path, as matched
     * @param match what the router found for it
     * @throws IllegalArgumentException when the template names a variable the match lacks (which
     *                                  {@link #validateFor} rules out at load)
     */
    public String apply(String path, RouteMatch.Found<?> match) {
        if (stripPrefix != null) {
            return strip(path);
        }
        if (template == null) {
            return path;
        }
        StringBuilder out = new StringBuilder(template.length() + path.length());
        for (Part part : parts) {
            switch (part.kind()) {
                case LITERAL -> out.append(part.text());
                case VARIABLE -> {
                    String value = match.pathVariables().get(part.text());
                    if (value == null) {
                        throw new IllegalArgumentException("rewrite '" + template + "': route '"
                                + match.route().id() + "' has no path variable {" + part.text() + "}");
                    }
                    out.append(value);
                }
                case REST -> out.append(rest(path, match.matchedPrefix()));
                case SLASH_REST -> {
                    String rest = rest(path, match.matchedPrefix());
                    if (!rest.isEmpty()) {
                        out.append('/').append(rest);
                    }
                }
            }
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    private String strip(String path) {
        if (stripPrefix.equals("/") || !path.startsWith(stripPrefix)) {
            return path;
        }
        if (path.length() == stripPrefix.length()) {
            return "/";
        }
        return path.charAt(stripPrefix.length()) == '/' ? path.substring(stripPrefix.length()) : path;
    }

    /** What {@code **} matched, without its leading slash: {@code orders/1}, or {@code ""}. */
    private static String rest(String path, String matchedPrefix) {
        if (!path.startsWith(matchedPrefix) || path.length() == matchedPrefix.length()) {
            return "";
        }
        int from = matchedPrefix.length();
        return path.charAt(from) == '/' ? path.substring(from + 1) : path.substring(from);
    }

    @Override
    public String toString() {
        return stripPrefix != null ? "PathRewrite[strip " + stripPrefix + "]"
                : template != null ? "PathRewrite[" + template + "]" : "PathRewrite[none]";
    }
}
