package io.portico.core.server;

import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigLoader;
import io.portico.core.config.LoadedConfig;
import io.portico.core.config.ServerConfig;
import io.portico.core.config.TlsConfig;
import io.portico.core.observe.AccessLog;
import io.portico.core.observe.GatewayMetrics;
import io.portico.core.plugin.FilterCatalog;
import io.portico.core.upstream.Upstream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the Jetty server, the shared upstream client, and the current snapshot.
 * {@link #reload} builds a new snapshot completely and swaps it in; a configuration that fails to
 * build leaves the running one in place.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Server server;
    private final HttpClient client;
    private final GatewayHandler handler;
    private final SnapshotBuilder builder;
    private final ScheduledExecutorService scheduler;
    private final AccessLog accessLog;
    private final ServerConfig serverConfig;
    private final Path home;
    private ServerCertificate certificate;
    private final ReentrantLock reloadLock = new ReentrantLock();
    private final List<AutoCloseable> healthChecks = new ArrayList<>();
    private long generation;
    private volatile FilterCatalog catalog;
    private AdminServer admin;

    private Gateway(Server server, HttpClient client, GatewayHandler handler, SnapshotBuilder builder,
                    ScheduledExecutorService scheduler, AccessLog accessLog, ServerConfig serverConfig, Path home) {
        this.server = server;
        this.client = client;
        this.handler = handler;
        this.builder = builder;
        this.scheduler = scheduler;
        this.accessLog = accessLog;
        this.serverConfig = serverConfig;
        this.home = home;
    }

    /**
     * Builds everything from a loaded configuration and starts listening.
     *
     * @param loaded  the configuration
     * @param home    the folder relative paths are resolved against
     * @param catalog the plugins that configuration may name
     * @param clock   the time source
     * @throws ConfigException when the configuration does not build; nothing is left running
     */
    public static Gateway start(LoadedConfig loaded, Path home, FilterCatalog catalog, Clock clock,
                                ScheduledExecutorService scheduler) throws Exception {
        ServerConfig serverConfig = loaded.config().server();
        // read first, so that a certificate that cannot serve is a configuration problem with its line
        ServerCertificate.Material certificate = serverConfig.tls() == null ? null : ServerCertificate.read(loaded, home);
        Server server = JettyServers.server(serverConfig, certificate == null ? null : certificate.store());
        HttpClient client;
        try {
            client = JettyServers.client(maxConnectTimeout(loaded), server);
        } catch (Exception e) {
            JettyServers.release(server);
            throw e;
        }
        try {
            // WebSocket upstream connections share the HTTP client's pools and threads
            WebSocketClient webSockets = new WebSocketClient(client);
            webSockets.start();
            client.addBean(webSockets, true);
            GatewayMetrics metrics = new GatewayMetrics();
            SnapshotBuilder builder = new SnapshotBuilder(client, catalog, clock, webSockets, metrics, home);
            Snapshot snapshot = builder.build(loaded, 1, catalog, true);
            builder.serving(snapshot);
            AccessLog accessLog = accessLog(serverConfig, home);
            server.setErrorHandler(new ProblemErrorHandler(accessLog, clock));
            GatewayHandler handler = new GatewayHandler(snapshot, clock, accessLog, ServerWebSocketContainer.ensure(server),
                    org.eclipse.jetty.util.VirtualThreads.getVirtualThreadsExecutor(server.getThreadPool()), metrics);
            // waits for in-flight requests on stop, up to the drain timeout, and refuses new ones meanwhile
            server.setHandler(new GracefulHandler(handler));
            Gateway gateway = new Gateway(server, client, handler, builder, scheduler, accessLog, serverConfig, home);
            if (serverConfig.tls() != null) {
                gateway.certificate = ServerCertificate.of(server, serverConfig.tls(), home, certificate);
            }
            gateway.generation = 1;
            gateway.catalog = catalog;
            catalog.retain();
            if (serverConfig.admin() != null) {
                gateway.admin = AdminServer.start(serverConfig.admin(), metrics, handler::snapshot);
            }
            try {
                server.start();
            } catch (Exception e) {
                if (gateway.admin != null) {
                    gateway.admin.close();
                }
                throw e;
            }
            gateway.startHealthChecks(snapshot);
            LOG.info("Portico listening on {} with {} routes", gateway.describePorts(), snapshot.router().size());
            return gateway;
        } catch (Exception e) {
            client.stop();
            try {
                server.stop();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            // a server that never started does not stop what the client needed started early
            JettyServers.release(server);
            throw e;
        }
    }

    /** Starts with a default scheduler on platform daemon threads. */
    public static Gateway start(LoadedConfig loaded, Path home, FilterCatalog catalog, Clock clock) throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1,
                Thread.ofPlatform().daemon().name("portico-scheduler").factory());
        try {
            return start(loaded, home, catalog, clock, scheduler);
        } catch (Exception e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    /** The plain HTTP port actually bound (useful when configured as 0). */
    public int port() {
        return connectorPort("http");
    }

    /** The admin port actually bound, or -1 without {@code server.admin}. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** The TLS port actually bound, or -1 without TLS. */
    public int tlsPort() {
        return connectorPort("https");
    }

    /** The configuration now serving. */
    public LoadedConfig config() {
        return handler.snapshot().config();
    }

    /** The snapshot now serving. */
    public Snapshot snapshot() {
        return handler.snapshot();
    }

    /**
     * Builds a new snapshot and swaps it in. Requests in flight finish on the old one.
     *
     * @throws ConfigException when it does not build; the running configuration stays
     */
    public void reload(LoadedConfig loaded) throws ConfigException {
        reloadLock.lock();
        try {
            ServerConfig server = loaded.config().server();
            // the certificate's files are checked before anything is built, so that a broken one
            // refuses the whole reload; the same files with new content replace it in place
            boolean sameTls = Objects.equals(server.tls(), serverConfig.tls());
            Runnable newCertificate = certificate != null && sameTls ? certificate.prepare(loaded) : null;
            // other TLS settings (which apply at the next restart) are read and checked by the build
            Snapshot next = builder.build(loaded, generation + 1, catalog, sameTls);
            if (!server.equals(serverConfig)) {
                LOG.warn("the server section changed; ports, TLS settings and limits apply at the next restart");
            }
            swap(next);
            if (newCertificate != null) {
                newCertificate.run();
            }
            LOG.info("configuration {} applied: {} routes", generation, next.router().size());
        } finally {
            reloadLock.unlock();
        }
    }

    /**
     * The plugins folder changed: rebuilds the running configuration with the new plugins and
     * swaps it in. When it does not build (a route names a plugin whose jar was removed) the
     * running snapshot and its plugins stay, and the log says why; the next configuration is
     * checked against the new plugins.
     */
    public void pluginsChanged(FilterCatalog next) {
        reloadLock.lock();
        try {
            catalog = next;
            Snapshot rebuilt;
            try {
                rebuilt = builder.build(handler.snapshot().config(), generation + 1, next, true);
            } catch (ConfigException e) {
                LOG.error("the plugins changed, but the running configuration does not build with them; it keeps"
                        + " running on the plugins it was built with.\n{}", e.getMessage());
                return;
            }
            swap(rebuilt);
            LOG.info("plugins changed: configuration {} rebuilt with them", generation);
        } finally {
            reloadLock.unlock();
        }
    }

    /** Serves {@code next}; the previous snapshot's plugins are released once its requests finish. */
    private void swap(Snapshot next) {
        next.catalog().retain();
        builder.serving(next);
        List<AutoCloseable> retired = new ArrayList<>(healthChecks);
        healthChecks.clear();
        Snapshot previous = handler.snapshot();
        handler.swap(next);
        previous.inFlight().retire();
        previous.inFlight().drained().thenRun(() -> {
            previous.scheduler().retire();
            previous.catalog().release();
            // the pools of targets (or TLS settings) no serving configuration has any more
            builder.retired(previous);
        });
        generation = next.generation();
        startHealthChecks(next);
        closeAll(retired);
    }

    /**
     * The files besides the configuration whose content it depends on: the TLS port's certificate
     * (as named at start, since the server section applies at a restart) and the upstreams' TLS
     * files. Whoever watches the configuration watches these too, and reloads when one of them changes.
     */
    public List<Path> watchedFiles() {
        List<Path> files = new ArrayList<>();
        if (certificate != null) {
            files.addAll(certificate.files());
        }
        addUpstreamFiles(config(), home, files);
        return files;
    }

    /**
     * The files {@code loaded} names besides itself, before a gateway is started from it: see
     * {@link #watchedFiles()}.
     */
    public static List<Path> filesNamedBy(LoadedConfig loaded, Path home) {
        List<Path> files = new ArrayList<>();
        TlsConfig tls = loaded.config().server().tls();
        if (tls != null) {
            files.addAll(ServerCertificate.files(tls, home));
        }
        addUpstreamFiles(loaded, home, files);
        return files;
    }

    private static void addUpstreamFiles(LoadedConfig loaded, Path home, List<Path> files) {
        for (var upstream : loaded.config().upstreams().values()) {
            if (upstream.tls() != null) {
                for (String file : new String[] {upstream.tls().ca(), upstream.tls().certificate(), upstream.tls().key()}) {
                    if (file != null) {
                        files.add(home.resolve(file));
                    }
                }
            }
        }
    }

    /** Reads a file and reloads from it; logs and keeps the running configuration on failure. */
    public boolean reloadFrom(Path file, ConfigLoader loader) {
        try {
            reload(loader.load(file));
            return true;
        } catch (ConfigException e) {
            LOG.error("configuration not applied; the previous one keeps running.\n{}", e.getMessage());
            return false;
        }
    }

    /** Stops taking requests, lets in-flight ones finish up to the drain timeout, then stops. */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
            if (admin != null) {
                admin.close();
            }
        } finally {
            closeAll(healthChecks);
            handler.snapshot().scheduler().retire();
            client.stop();
            builder.close();
            handler.snapshot().catalog().release();
            scheduler.shutdownNow();
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
            accessLog.close();
        }
    }

    private void startHealthChecks(Snapshot snapshot) {
        for (Upstream upstream : snapshot.upstreams().values()) {
            healthChecks.add(upstream.startHealthChecks(client, scheduler));
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resource, e);
            }
        }
        resources.clear();
    }

    private int connectorPort(String name) {
        for (var connector : server.getConnectors()) {
            if (connector instanceof ServerConnector serverConnector && name.equals(serverConnector.getName())) {
                return serverConnector.getLocalPort();
            }
        }
        return -1;
    }

    private String describePorts() {
        String ports = "http://" + serverConfig.host() + ":" + port();
        return tlsPort() > 0 ? ports + " and https://" + serverConfig.host() + ":" + tlsPort() : ports;
    }

    private static Duration maxConnectTimeout(LoadedConfig loaded) {
        Duration longest = Duration.ofSeconds(5);
        for (var upstream : loaded.config().upstreams().values()) {
            if (upstream.connectTimeout().compareTo(longest) > 0) {
                longest = upstream.connectTimeout();
            }
        }
        return longest;
    }

    private static AccessLog accessLog(ServerConfig config, Path home) throws IOException {
        if (!config.accessLog().enabled()) {
            return AccessLog.disabled();
        }
        if ("stdout".equals(config.accessLog().path())) {
            return AccessLog.toStandardOutput();
        }
        return AccessLog.toFile(home.resolve(config.accessLog().path()));
    }
}
