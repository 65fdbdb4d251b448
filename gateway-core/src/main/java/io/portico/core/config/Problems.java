package io.portico.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems while a configuration is read, so all of them are reported at once. */
final class Problems {
    private final List<ConfigProblem> list = new ArrayList<>();

    void add(ConfigNode node, String message) {
        list.add(new ConfigProblem(node.path(), node.line(), message));
    }

    void add(String path, int line, String message) {
        list.add(new ConfigProblem(path, line, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    List<ConfigProblem> sorted() {
        List<ConfigProblem> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingInt(ConfigProblem::line));
        return copy;
    }
}
