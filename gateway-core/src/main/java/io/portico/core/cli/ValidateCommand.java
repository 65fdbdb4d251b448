package io.portico.core.cli;

import io.portico.core.config.ConfigException;
import io.portico.core.plugin.FilterCatalog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Check a configuration file; exit 0 when it is good, 1 with every problem when not.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "default: conf/portico.yaml")
    Path file;

    @Override
    public Integer call() throws Exception {
        Path config = PorticoCommand.configFile(file);
        try (Plugins plugins = Plugins.load(PorticoCommand.home(), Configs.load(config))) {
            FilterCatalog catalog = plugins.catalog();
            var snapshot = Configs.check(Configs.load(config), catalog);
            System.out.println(config + ": valid, " + snapshot.router().size() + " routes, "
                    + snapshot.upstreams().size() + " upstreams");
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
