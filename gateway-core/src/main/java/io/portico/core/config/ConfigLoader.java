package io.portico.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Reads {@code conf/portico.yaml}: YAML with locations, {@code ${VAR}} substitution, then binding
 * to {@link GatewayConfig}. A file with any problem is refused as a whole.
 */
public final class ConfigLoader {
    private static final long MAX_FILE_SIZE = 16L * 1024 * 1024;

    private final Function<String, String> environment;

    /** @param environment where {@code ${VAR}} values come from; {@code System::getenv} in production */
    public ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Loads a file.
     *
     * @throws ConfigException when it cannot be read, is not YAML, or does not bind
     */
    public LoadedConfig load(Path file) throws ConfigException {
        String name = file.toString();
        try {
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw new ConfigException(name, List.of(new ConfigProblem("", 0, "is larger than 16MB")));
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new ConfigException(name, List.of(new ConfigProblem("", 0, "cannot be read: " + e)));
        }
    }

    /**
     * Parses YAML text.
     *
     * @param source the name used in messages
     * @throws ConfigException when the text is not YAML or does not bind
     */
    public LoadedConfig parse(String yaml, String source) throws ConfigException {
        Problems problems = new Problems();
        ConfigNode tree = new YamlReader(environment).read(yaml, problems);
        if (tree == null) {
            throw new ConfigException(source, problems.sorted());
        }
        if (!(tree instanceof ConfigNode.MapNode)) {
            problems.add(tree, "the file must be a mapping with server, upstreams, plugins and routes");
            throw new ConfigException(source, problems.sorted());
        }
        GatewayConfig config = RecordBinder.bind(tree, GatewayConfig.class, problems);
        if (!problems.isEmpty() || config == null) {
            throw new ConfigException(source, problems.sorted());
        }
        return new LoadedConfig(source, config, tree);
    }
}
