package io.portico.core.cli;

import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigLoader;
import io.portico.core.config.LoadedConfig;
import io.portico.core.server.ConfigWatcher;
import io.portico.core.server.Gateway;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Start the gateway in the foreground; SIGTERM drains in-flight requests, then stops.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "default: conf/portico.yaml")
    Path file;

    @Option(names = "--no-watch", description = "do not reload when the configuration file, or a TLS file it names, changes")
    boolean noWatch;

    @Override
    public Integer call() throws Exception {
        Path config = PorticoCommand.configFile(file);
        ConfigLoader loader = new ConfigLoader(System::getenv);
        // what the files hold is recorded before they are read, so that an edit meanwhile is not missed
        ConfigWatcher watcher = noWatch ? null : ConfigWatcher.recording(config);
        LoadedConfig loaded;
        try {
            loaded = loader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (watcher != null) {
            watcher.recording(Gateway.filesNamedBy(loaded, PorticoCommand.home()));
        }
        Plugins plugins = Plugins.load(PorticoCommand.home(), loaded);
        Gateway gateway;
        try {
            gateway = Gateway.start(loaded, PorticoCommand.home(), plugins.catalog(), Clock.systemUTC(),
                    plugins.scheduler());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            plugins.close();
            return 1;
        }
        plugins.watch(gateway);
        if (watcher != null) {
            watcher.start(gateway::watchedFiles, () -> gateway.reloadFrom(config, loader), plugins.scheduler(),
                    Duration.ofMillis(500));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: draining in-flight requests");
            try {
                if (watcher != null) {
                    watcher.close();
                }
                gateway.close();
            } catch (Exception e) {
                LOG.warn("stopping failed", e);
            } finally {
                plugins.close();
                stopped.countDown();
            }
        }, "portico-shutdown"));
        stopped.await();
        return 0;
    }
}
