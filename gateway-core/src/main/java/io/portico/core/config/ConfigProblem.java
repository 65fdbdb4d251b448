package io.portico.core.config;

/**
 * One thing wrong with a configuration file.
 *
 * @param path    the YAML path of the offending value, such as {@code routes[2].upstream}
 * @param line    the 1-based line, or 0 when the problem is with the file as a whole
 * @param message what is wrong, in words an operator can act on
 */
public record ConfigProblem(String path, int line, String message) {

    @Override
    public String toString() {
        String where = path.isEmpty() ? "" : path + ": ";
        return line > 0 ? where + message + " (line " + line + ")" : where + message;
    }
}
