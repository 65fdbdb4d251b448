package io.portico.core.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One parsed path pattern: {@code /health}, {@code /api/**}, {@code /users/{id}},
 * {@code /users/{id}/**}.
 *
 * <p>A path is read as segments after its leading {@code /}: {@code /} has none, {@code /a/b} has
 * {@code a} and {@code b}, {@code /a/} has {@code a} and an empty one. A variable matches one whole,
 * non-empty segment; a final {@code /**} matches zero or more segments.
 */
final class PathPattern {

    /** Kinds of pattern, most specific first. */
    enum Kind { EXACT, TEMPLATE, TEMPLATE_PREFIX, PREFIX }

    private final String source;
    /** Per segment: the literal text, or {@code null} for a variable. */
    private final String[] literals;
    /** Per segment: the variable name, or {@code null} for a literal. */
    private final String[] variables;
    private final boolean catchAll;
    private final Kind kind;
    private final int literalChars;
    private final int variableCount;

    private PathPattern(String source, List<String> literals, List<String> variables,
                        boolean catchAll, int literalChars, int variableCount) {
        this.source = source;
        this.literals = literals.toArray(new String[0]);
        this.variables = variables.toArray(new String[0]);
        this.catchAll = catchAll;
        this.literalChars = literalChars;
        this.variableCount = variableCount;
        if (variableCount == 0) {
            this.kind = catchAll ? Kind.PREFIX : Kind.EXACT;
        } else {
            this.kind = catchAll ? Kind.TEMPLATE_PREFIX : Kind.TEMPLATE;
        }
    }

    /**
     * Parses {@code pattern}.
     *
     * @throws IllegalArgumentException naming {@code routeId} and the pattern when it is malformed
     */
    static PathPattern parse(String routeId, String pattern) {
        if (pattern.isEmpty() || pattern.charAt(0) != '/') {
            throw bad(routeId, pattern, "it must start with '/'");
        }
        List<String> literals = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean catchAll = false;
        int literalChars = 0;
        int length = pattern.length();
        int start = length == 1 ? length : 0;
        while (start < length) {
            int end = pattern.indexOf('/', start + 1);
            if (end < 0) {
                end = length;
            }
            String segment = pattern.substring(start + 1, end);
            boolean last = end == length;
            if (segment.equals("**")) {
                if (!last) {
                    throw bad(routeId, pattern, "'**' must be the last segment");
                }
                catchAll = true;
            } else if (segment.indexOf('*') >= 0) {
                throw bad(routeId, pattern, "'*' is only allowed as a whole last segment '/**'");
            } else if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
                String name = variableName(routeId, pattern, segment);
                if (!names.add(name)) {
                    throw bad(routeId, pattern, "duplicate variable '{" + name + "}'");
                }
                literals.add(null);
                variables.add(name);
            } else if (segment.isEmpty() && !last) {
                throw bad(routeId, pattern, "empty segment '//'");
            } else {
                literals.add(segment);
                variables.add(null);
                literalChars += 1 + segment.length();
            }
            start = end;
        }
        return new PathPattern(pattern, literals, variables, catchAll, literalChars, names.size());
    }

    private static String variableName(String routeId, String pattern, String segment) {
        int open = segment.indexOf('{');
        int close = segment.indexOf('}');
        if (open >= 0 && close < 0) {
            throw bad(routeId, pattern, "unclosed '{'");
        }
        if (open < 0 || close < open) {
            throw bad(routeId, pattern, "'}' without '{'");
        }
        if (open != 0 || close != segment.length() - 1
                || segment.indexOf('{', 1) >= 0 || segment.indexOf('}') != close) {
            throw bad(routeId, pattern, "a variable must be a whole segment, as in /users/{id}");
        }
        String name = segment.substring(1, close);
        if (!isVariableName(name)) {
            throw bad(routeId, pattern, "'{" + name + "}' is not a variable name (letters, digits,"
                    + " '_', '-' and '.')");
        }
        return name;
    }

    static boolean isVariableName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException bad(String routeId, String pattern, String why) {
        return new IllegalArgumentException(
                "route '" + routeId + "': bad path pattern '" + pattern + "': " + why);
    }

    String source() {
        return source;
    }

    Kind kind() {
        return kind;
    }

    boolean catchAll() {
        return catchAll;
    }

    int segmentCount() {
        return literals.length;
    }

    /** The literal of segment {@code index}, or {@code null} when it is a variable. */
    String literal(int index) {
        return literals[index];
    }

    int literalChars() {
        return literalChars;
    }

    /** Per segment, the variable's name or {@code null}; shared, not to be changed. */
    String[] variablesBySegment() {
        return variables;
    }

    /** The variables' names in path order. */
    String[] variableNames() {
        String[] names = new String[variableCount];
        int next = 0;
        for (String variable : variables) {
            if (variable != null) {
                names[next++] = variable;
            }
        }
        return names;
    }

    /** Whether the pattern binds variable {@code name}. */
    boolean hasVariable(String name) {
        for (String variable : variables) {
            if (name.equals(variable)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return source;
    }
}
