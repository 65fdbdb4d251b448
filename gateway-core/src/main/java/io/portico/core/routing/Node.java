package io.portico.core.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of the segment trie: literal children by segment text, one child for a template variable,
 * the entries whose pattern ends here, and the entries whose pattern ends here in {@code /**}.
 * Immutable once built; {@link #minRank} lets a search skip a subtree that cannot beat what it has.
 */
final class Node<T> {
    private static final Entry<?>[] NONE = new Entry<?>[0];

    final RegionMap<Node<T>> literals;
    final Node<T> variable;
    final Entry<T>[] terminals;
    final Entry<T>[] catchAll;
    final int minRank;

    private Node(RegionMap<Node<T>> literals, Node<T> variable, Entry<T>[] terminals,
                 Entry<T>[] catchAll, int minRank) {
        this.literals = literals;
        this.variable = variable;
        this.terminals = terminals;
        this.catchAll = catchAll;
        this.minRank = minRank;
    }

    /** Collects entries into a mutable tree, then freezes it with {@link #build()}. */
    static final class Builder<T> {
        private final Map<String, Builder<T>> literals = new HashMap<>();
        private Builder<T> variable;
        private final List<Entry<T>> terminals = new ArrayList<>(1);
        private final List<Entry<T>> catchAll = new ArrayList<>(1);

        void add(Entry<T> entry) {
            PathPattern pattern = entry.path();
            Builder<T> node = this;
            for (int i = 0; i < pattern.segmentCount(); i++) {
                String literal = pattern.literal(i);
                if (literal == null) {
                    if (node.variable == null) {
                        node.variable = new Builder<>();
                    }
                    node = node.variable;
                } else {
                    node = node.literals.computeIfAbsent(literal, key -> new Builder<>());
                }
            }
            (pattern.catchAll() ? node.catchAll : node.terminals).add(entry);
        }

        /** Freezes this subtree. Entries must have their ranks by now. */
        Node<T> build() {
            int minRank = Integer.MAX_VALUE;
            RegionMap<Node<T>> frozenLiterals = null;
            if (!literals.isEmpty()) {
                Map<String, Node<T>> children = new LinkedHashMap<>(literals.size() * 2);
                for (Map.Entry<String, Builder<T>> child : literals.entrySet()) {
                    Node<T> built = child.getValue().build();
                    children.put(child.getKey(), built);
                    minRank = Math.min(minRank, built.minRank);
                }
                frozenLiterals = new RegionMap<>(children, false);
            }
            Node<T> frozenVariable = null;
            if (variable != null) {
                frozenVariable = variable.build();
                minRank = Math.min(minRank, frozenVariable.minRank);
            }
            Entry<T>[] frozenTerminals = sorted(terminals);
            Entry<T>[] frozenCatchAll = sorted(catchAll);
            if (frozenTerminals.length > 0) {
                minRank = Math.min(minRank, frozenTerminals[0].rank());
            }
            if (frozenCatchAll.length > 0) {
                minRank = Math.min(minRank, frozenCatchAll[0].rank());
            }
            return new Node<>(frozenLiterals, frozenVariable, frozenTerminals, frozenCatchAll, minRank);
        }

        @SuppressWarnings("unchecked")
        private static <T> Entry<T>[] sorted(List<Entry<T>> entries) {
            if (entries.isEmpty()) {
                return (Entry<T>[]) NONE;
            }
            entries.sort(Entry.SPECIFICITY);
            return entries.toArray((Entry<T>[]) NONE);
        }
    }
}
