package io.portico.core.cli;

import io.portico.core.plugin.PluginStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plugins", description = "List the plugins in the plugins folder, the filters each provides, and why any failed to load.")
final class PluginsCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "default: conf/portico.yaml")
    Path file;

    @Override
    public Integer call() throws Exception {
        Path config = PorticoCommand.configFile(file);
        try (Plugins plugins = Plugins.load(PorticoCommand.home(), Configs.load(config))) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"PLUGIN", "VERSION", "FILTERS", "FILE"});
            boolean failed = false;
            for (PluginStatus status : plugins.statuses()) {
                rows.add(new String[] {status.id(), status.version() == null ? "-" : status.version(),
                        status.failure() == null ? String.join(", ", status.filters()) : "FAILED: " + status.failure(),
                        status.file()});
                failed |= status.failure() != null;
            }
            if (rows.size() == 1) {
                System.out.println("no plugins in " + plugins.folder());
                return 0;
            }
            Table.print(rows, System.out);
            return failed ? 1 : 0;
        }
    }
}
