package io.portico.core.config;

import java.util.Map;

/**
 * A configuration that bound cleanly, with its tree kept so later checks can name lines.
 *
 * @param source the file name, for messages
 * @param config the bound records
 * @param tree   the YAML tree the records came from
 */
public record LoadedConfig(String source, GatewayConfig config, ConfigNode tree) {

    /** A copy with other bound records, keeping the tree for line numbers. */
    public LoadedConfig withConfig(GatewayConfig newConfig) {
        return new LoadedConfig(source, newConfig, tree);
    }

    /** The node at a path such as {@code routes[2].upstream}, or the nearest existing parent. */
    public ConfigNode nodeAt(String path) {
        ConfigNode node = tree;
        int position = 0;
        while (position < path.length()) {
            char c = path.charAt(position);
            if (c == '.') {
                position++;
                continue;
            }
            if (c == '[') {
                int end = path.indexOf(']', position);
                int index = Integer.parseInt(path.substring(position + 1, end));
                if (!(node instanceof ConfigNode.ListNode list) || index >= list.items().size()) {
                    return node;
                }
                node = list.items().get(index);
                position = end + 1;
                continue;
            }
            int end = position;
            while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                end++;
            }
            String key = path.substring(position, end);
            if (!(node instanceof ConfigNode.MapNode map) || !map.entries().containsKey(key)) {
                return node;
            }
            node = map.entries().get(key);
            position = end;
        }
        return node;
    }

    /** A problem at a path, with the line of the nearest node there. */
    public ConfigProblem problemAt(String path, String message) {
        return new ConfigProblem(path, nodeAt(path).line(), message);
    }

    /** Entries of a mapping at a path, for messages; empty when absent. */
    Map<String, ConfigNode> mapAt(String path) {
        return nodeAt(path) instanceof ConfigNode.MapNode map ? map.entries() : Map.of();
    }
}
