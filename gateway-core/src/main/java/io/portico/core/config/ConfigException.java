package io.portico.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that was refused as a whole, with every problem found in it. */
public final class ConfigException extends Exception {
    private final String source;
    private final List<ConfigProblem> problems;

    public ConfigException(String source, List<ConfigProblem> problems) {
        super(source + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "\n  "
                + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  ")));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file (or other source) the configuration came from. */
    public String source() {
        return source;
    }

    /** Every problem, in document order. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
