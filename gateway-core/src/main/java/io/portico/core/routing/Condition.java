package io.portico.core.routing;

import io.portico.api.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A header or query condition, compiled once at load: the regex, if any, is a {@link Pattern}. */
final class Condition {
    enum Op { EQUALS, REGEX, PRESENT, ABSENT }

    private static final String[] NO_PARAMS = new String[0];

    private final String name;
    private final Op op;
    private final String value;
    private final Pattern pattern;

    private Condition(String name, Op op, String value, Pattern pattern) {
        this.name = name;
        this.op = op;
        this.value = value;
        this.pattern = pattern;
    }

    static Condition of(HeaderCondition condition) {
        return of("header", condition.name(), Op.valueOf(condition.kind().name()), condition.value());
    }

    static Condition of(QueryCondition condition) {
        return of("query parameter", condition.name(), Op.valueOf(condition.kind().name()),
                condition.value());
    }

    private static Condition of(String where, String name, Op op, String value) {
        Pattern pattern = op == Op.REGEX ? compile(where, name, value) : null;
        return new Condition(name, op, value, pattern);
    }

    /** Whether some field of {@code headers} named like this condition satisfies it. */
    boolean test(Headers headers) {
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (headers.name(i).equalsIgnoreCase(name) && accepts(headers.value(i))) {
                return op != Op.ABSENT;
            }
        }
        return op == Op.ABSENT;
    }

    /** Whether some pair of {@code params} (name, value, name, value...) satisfies it. */
    boolean test(String[] params) {
        for (int i = 0; i < params.length; i += 2) {
            if (params[i].equals(name) && accepts(params[i + 1])) {
                return op != Op.ABSENT;
            }
        }
        return op == Op.ABSENT;
    }

    private boolean accepts(String candidate) {
        return switch (op) {
            case PRESENT, ABSENT -> true;
            case EQUALS -> value.equals(candidate);
            case REGEX -> pattern.matcher(candidate).matches();
        };
    }

    /**
     * Splits a raw query into decoded name/value pairs. A parameter without {@code =} has the
     * value {@code ""}; a malformed escape is kept as it came.
     */
    static String[] parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return NO_PARAMS;
        }
        List<String> pairs = new ArrayList<>();
        int start = 0;
        int length = rawQuery.length();
        while (start <= length) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                int equals = rawQuery.indexOf('=', start);
                if (equals < 0 || equals > end) {
                    pairs.add(decode(rawQuery.substring(start, end)));
                    pairs.add("");
                } else {
                    pairs.add(decode(rawQuery.substring(start, equals)));
                    pairs.add(decode(rawQuery.substring(equals + 1, end)));
                }
            }
            start = end + 1;
        }
        return pairs.toArray(NO_PARAMS);
    }

    private static String decode(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }

    /** The checks shared by {@link HeaderCondition} and {@link QueryCondition}. */
    static String checkValue(String where, String name, String kind, String value) {
        switch (kind) {
            case "PRESENT", "ABSENT" -> {
                return null;
            }
            case "REGEX" -> {
                Objects.requireNonNull(value, () -> where + " " + name + ": a regex is needed");
                compile(where, name, value);
                return value;
            }
            default -> {
                Objects.requireNonNull(value, () -> where + " " + name + ": a value is needed");
                return value;
            }
        }
    }

    private static Pattern compile(String where, String name, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    where + " " + name + ": bad regex '" + regex + "': " + e.getDescription(), e);
        }
    }
}
