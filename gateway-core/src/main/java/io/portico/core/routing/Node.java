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

    /** The one literal child's segment when there is exactly one, else {@code null}. */
    private final String onlyLiteral;
    private final Node<T> onlyChild;
    /** The literal children when there are two or more, else {@code null}. */
    private final LiteralTable literals;
    private final Node<T>[] children;
    final Node<T> variable;
    final Entry<T>[] terminals;
    final Entry<T>[] catchAll;
    /** The best rank in {@link #terminals}, in {@link #catchAll}, and in this whole subtree. */
    final int terminalMin;
    final int catchAllMin;
    final int minRank;

    private Node(String onlyLiteral, Node<T> onlyChild, LiteralTable literals, Node<T>[] children,
                 Node<T> variable, Entry<T>[] terminals, Entry<T>[] catchAll, int minRank) {
        this.onlyLiteral = onlyLiteral;
        this.onlyChild = onlyChild;
        this.literals = literals;
        this.children = children;
        this.variable = variable;
        this.terminals = terminals;
        this.catchAll = catchAll;
        this.terminalMin = terminals.length == 0 ? Integer.MAX_VALUE : terminals[0].rank();
        this.catchAllMin = catchAll.length == 0 ? Integer.MAX_VALUE : catchAll[0].rank();
        this.minRank = minRank;
    }

    /** The literal child for segment {@code path[from, to)}, or {@code null}. */
    Node<T> literal(String path, int from, int to) {
        if (onlyLiteral != null) {
            int length = to - from;
            return onlyLiteral.length() == length && onlyLiteral.regionMatches(0, path, from, length)
                    ? onlyChild : null;
        }
        if (literals == null) {
            return null;
        }
        int slot = literals.find(path, from, to);
        return slot < 0 ? null : children[slot];
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
            String onlyLiteral = null;
            Node<T> onlyChild = null;
            LiteralTable table = null;
            Node<T>[] children = null;
            if (!literals.isEmpty()) {
                Map<String, Node<T>> built = new LinkedHashMap<>(literals.size() * 2);
                for (Map.Entry<String, Builder<T>> child : literals.entrySet()) {
                    Node<T> node = child.getValue().build();
                    built.put(child.getKey(), node);
                    minRank = Math.min(minRank, node.minRank);
                }
                if (built.size() == 1) {
                    Map.Entry<String, Node<T>> only = built.entrySet().iterator().next();
                    onlyLiteral = only.getKey();
                    onlyChild = only.getValue();
                } else {
                    children = newArray(LiteralTable.capacity(built.size()));
                    table = LiteralTable.of(built, false, children);
                }
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
            return new Node<>(onlyLiteral, onlyChild, table, children, frozenVariable, frozenTerminals,
                    frozenCatchAll, minRank);
        }

        @SuppressWarnings("unchecked")
        private static <T> Node<T>[] newArray(int length) {
            return (Node<T>[]) new Node<?>[length];
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
