package io.portico.core.cli;

import io.portico.core.config.ConfigException;
import io.portico.core.config.LoadedConfig;
import io.portico.core.config.RouteConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "routes", description = "Print the route table, in file order.")
final class RoutesCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "default: conf/portico.yaml")
    Path file;

    @Override
    public Integer call() {
        try {
            LoadedConfig loaded = Configs.load(PorticoCommand.configFile(file));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ROUTE", "HOSTS", "METHODS", "PATHS", "UPSTREAM", "PLUGINS"});
            for (RouteConfig route : loaded.config().routes()) {
                rows.add(new String[] {route.id(), orAny(route.match().hosts()), orAny(List.copyOf(route.match().methods())),
                        orAny(route.match().paths()), route.upstream() != null ? route.upstream() : route.url(),
                        String.join(",", route.plugins().stream().map(p -> p.name()).toList())});
            }
            Table.print(rows, System.out);
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    private static String orAny(List<String> values) {
        return values.isEmpty() ? "*" : String.join(",", values);
    }
}
