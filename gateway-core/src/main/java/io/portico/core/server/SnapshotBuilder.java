package io.portico.core.server;

import io.portico.api.ConsumerDefinition;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Sockets;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import io.portico.core.config.ConditionConfig;
import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigNode;
import io.portico.core.config.ConfigProblem;
import io.portico.core.config.ConsumerConfig;
import io.portico.core.config.GatewayConfig;
import io.portico.core.config.LoadedConfig;
import io.portico.core.config.PluginEntry;
import io.portico.core.config.RouteConfig;
import io.portico.core.config.UpstreamConfig;
import io.portico.core.observe.GatewayMetrics;
import io.portico.core.pipeline.NamedFilter;
import io.portico.core.pipeline.Pipeline;
import io.portico.core.plugin.FilterCatalog;
import io.portico.core.script.ScriptFilterFactory;
import io.portico.core.proxy.ForwardedHeaders;
import io.portico.core.proxy.SideCalls;
import io.portico.core.proxy.TrustedProxies;
import io.portico.core.proxy.UpstreamCall;
import io.portico.core.routing.HeaderCondition;
import io.portico.core.routing.PathRewrite;
import io.portico.core.routing.QueryCondition;
import io.portico.core.routing.RouteSpec;
import io.portico.core.routing.Router;
import io.portico.core.upstream.BalancerKind;
import io.portico.core.upstream.HashOn;
import io.portico.core.upstream.HealthCheckSpec;
import io.portico.core.upstream.PassiveSpec;
import io.portico.core.upstream.TargetSpec;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import io.portico.core.proxy.UpstreamConnections;
import io.portico.core.tls.TargetTls;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Builds a {@link Snapshot} from a bound configuration, checking what spans sections: upstream
 * names, target URLs, route ids, patterns, plugin names and plugin configuration. Every problem is
 * collected; a snapshot is returned only when there are none.
 */
public final class SnapshotBuilder {
    private final HttpClient client;
    private final FilterCatalog catalog;
    private final Clock clock;
    private final WebSocketClient webSockets;
    private final GatewayMetrics metrics;
    private final ScriptFilterFactory scripts;
    private final Sockets sockets;
    private final UpstreamConnections connections;
    private final Path home;

    /**
     * For checking a configuration without serving it: WebSocket routes are built but cannot
     * connect; js filter scripts are found under {@code -Dportico.home} (or the working folder).
     */
    public SnapshotBuilder(HttpClient client, FilterCatalog catalog, Clock clock) {
        this(client, catalog, clock, null, new GatewayMetrics(),
                Path.of(System.getProperty("portico.home", "")).toAbsolutePath());
    }

    /**
     * @param home the installation folder, which js filter scripts and TLS files are relative to
     */
    public SnapshotBuilder(HttpClient client, FilterCatalog catalog, Clock clock, WebSocketClient webSockets,
                           GatewayMetrics metrics, Path home) {
        this.client = client;
        this.catalog = catalog;
        this.clock = clock;
        this.webSockets = webSockets;
        this.metrics = metrics;
        this.home = home;
        this.scripts = new ScriptFilterFactory(home, metrics.forPlugin("js"));
        // the transport's connector is the one registered with the server's selectors (JettyServers.client)
        this.sockets = new EventLoopSockets(
                ((org.eclipse.jetty.client.AbstractConnectorHttpClientTransport) client.getTransport()).getClientConnector());
        // one for the gateway, so that keep-alive connections outlive a reload
        this.connections = new UpstreamConnections(client);
    }

    /** Stops the js filters' runtime, if a configuration started it. */
    public void close() {
        scripts.close();
    }

    /** {@code snapshot} serves: the connection pools of its targets are kept. */
    void serving(Snapshot snapshot) {
        connections.serving(snapshot.upstreams().values());
    }

    /**
     * {@code snapshot}'s last request finished: the pools of targets no serving snapshot has close
     * their connections and are forgotten.
     */
    void retired(Snapshot snapshot) {
        connections.retired(snapshot.upstreams().values());
    }

    /**
     * Builds and checks everything.
     *
     * @param generation a number for logs
     * @throws ConfigException with every problem found
     */
    public Snapshot build(LoadedConfig loaded, long generation) throws ConfigException {
        return build(loaded, generation, catalog);
    }

    /** Builds with another plugin catalog than the one given at construction. */
    public Snapshot build(LoadedConfig loaded, long generation, FilterCatalog catalog) throws ConfigException {
        return build(loaded, generation, catalog, false);
    }

    /**
     * Builds with {@code catalog}; {@code certificateRead} says the caller has read the TLS port's
     * certificate from these settings already (the gateway does, to serve it), so it is not read
     * and tried again.
     */
    Snapshot build(LoadedConfig loaded, long generation, FilterCatalog catalog, boolean certificateRead)
            throws ConfigException {
        GatewayConfig config = loaded.config();
        List<ConfigProblem> problems = new ArrayList<>();
        if (loaded.config().server().tls() != null && !certificateRead) {
            // checked here too, so that validate and a reload name a certificate that cannot serve
            try {
                ServerCertificate.read(loaded, home);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }

        TrustedProxies trusted = TrustedProxies.none();
        try {
            trusted = TrustedProxies.parse(config.server().trustedProxies());
        } catch (IllegalArgumentException e) {
            problems.add(loaded.problemAt("server.trusted-proxies", e.getMessage()));
        }
        ForwardedHeaders forwarded = new ForwardedHeaders(trusted, config.server().via());

        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        Map<String, UpstreamConfig> upstreamConfigs = new LinkedHashMap<>();
        config.upstreams().forEach((name, upstream) -> {
            Upstream built = upstream(loaded, "upstreams." + name, name, upstream, problems);
            if (built != null) {
                upstreams.put(name, built);
                upstreamConfigs.put(name, upstream);
            }
        });

        List<ConsumerDefinition> consumers = consumers(loaded, problems);
        SideCalls sideCalls = new SideCalls(client, java.util.Collections.unmodifiableMap(upstreams));
        RetiringScheduler scheduler = new RetiringScheduler();

        List<RouteSpec<RouteRuntime>> specs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<RouteConfig> routes = config.routes();
        for (int index = 0; index < routes.size(); index++) {
            RouteConfig route = routes.get(index);
            String path = "routes[" + index + "]";
            if (!ids.add(route.id())) {
                problems.add(loaded.problemAt(path + ".id", "route id '" + route.id() + "' is used twice"));
            }
            String upstreamName = route.upstream();
            Upstream upstream;
            UpstreamConfig upstreamConfig;
            if (upstreamName != null) {
                upstream = upstreams.get(upstreamName);
                upstreamConfig = upstreamConfigs.get(upstreamName);
                if (upstream == null && !config.upstreams().containsKey(upstreamName)) {
                    problems.add(loaded.problemAt(path + ".upstream", "no upstream is named '" + upstreamName
                            + "'; the upstreams are: " + String.join(", ", new TreeSet<>(config.upstreams().keySet()))));
                }
            } else {
                upstreamName = "route:" + route.id();
                upstreamConfig = UpstreamConfig.ofUrl(route.url());
                upstream = upstream(loaded, path + ".url", upstreamName, upstreamConfig, problems);
                if (upstream != null) {
                    upstreams.put(upstreamName, upstream);
                }
            }
            List<NamedFilter> filters = new ArrayList<>();
            addFilters(loaded, catalog, null, "plugins", config.plugins(), consumers, sideCalls, scheduler, filters, problems);
            addFilters(loaded, catalog, route.id(), path + ".plugins", route.plugins(), consumers, sideCalls, scheduler, filters,
                    problems);
            if (upstream == null) {
                continue;
            }
            long maxBody = route.maxBodySize() != null ? route.maxBodySize().bytes()
                    : config.server().limits().maxBodySize().bytes();
            PathRewrite rewrite;
            try {
                rewrite = PathRewrite.of(route.stripPrefix(), route.rewrite());
            } catch (IllegalArgumentException e) {
                problems.add(loaded.problemAt(path + (route.rewrite() != null ? ".rewrite" : ".strip-prefix"), e.getMessage()));
                continue;
            }
            UpstreamCall call = new UpstreamCall(client, upstream, rewrite, route.preserveHost(),
                    route.timeout() != null ? route.timeout() : upstreamConfig.readTimeout(),
                    upstreamConfig.keepAliveTimeout(), upstreamConfig.retries(),
                    maxBody, forwarded, webSockets, connections);
            RouteRuntime runtime = new RouteRuntime(route.id(), Pipeline.of(filters, call), upstreamName, maxBody,
                    route.stripPrefix(), route.rewrite(), filters.isEmpty() ? call : null,
                    metrics.route(route.id()));
            RouteSpec<RouteRuntime> spec;
            try {
                spec = new RouteSpec<>(route.id(), route.match().hosts(), route.match().paths(), route.match().methods(),
                        headerConditions(route.match().headers()), queryConditions(route.match().query()), runtime);
                rewrite.validateFor(spec);
            } catch (IllegalArgumentException e) {
                problems.add(loaded.problemAt(path + (route.rewrite() != null ? ".rewrite" : ".match"), e.getMessage()));
                continue;
            }
            specs.add(spec);
        }

        Router<RouteRuntime> router = null;
        if (problems.isEmpty()) {
            try {
                router = Router.compile(specs);
            } catch (IllegalArgumentException e) {
                problems.add(loaded.problemAt(routePathNamedIn(e.getMessage(), routes) + ".match.paths", e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            // global plugins are built once per route: their problems are reported once
            List<ConfigProblem> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(problems));
            distinct.sort(java.util.Comparator.comparingInt(ConfigProblem::line));
            // what the refused configuration's plugins scheduled never runs
            scheduler.retire();
            throw new ConfigException(loaded.source(), distinct);
        }
        return new Snapshot(loaded, router, Map.copyOf(upstreams), trusted, generation, new InFlight(), catalog, scheduler);
    }

    private Upstream upstream(LoadedConfig loaded, String path, String name, UpstreamConfig config,
                              List<ConfigProblem> problems) {
        List<TargetSpec> targets = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < config.targets().size(); i++) {
            UpstreamConfig.TargetConfig target = config.targets().get(i);
            try {
                targets.add(TargetSpec.parse(target.url(), target.weight()));
            } catch (IllegalArgumentException e) {
                String at = path.endsWith(".url") ? path : path + ".targets[" + i + "].url";
                problems.add(loaded.problemAt(at, e.getMessage()));
                failed = true;
            }
        }
        if (failed) {
            return null;
        }
        HashOn hashOn = null;
        if (config.hashOn() != null) {
            var hash = config.hashOn();
            hashOn = hash.header() != null ? new HashOn(HashOn.Source.HEADER, hash.header())
                    : hash.cookie() != null ? new HashOn(HashOn.Source.COOKIE, hash.cookie())
                    : new HashOn(HashOn.Source.CLIENT_IP, null);
        }
        HealthCheckSpec health = null;
        if (config.healthCheck() != null) {
            var check = config.healthCheck();
            health = new HealthCheckSpec(check.path(), check.interval(), check.timeout(), check.healthyThreshold(),
                    check.unhealthyThreshold(), 200, 399);
        }
        PassiveSpec passive = new PassiveSpec(config.passive().consecutiveFailures(), config.passive().ejection());
        BalancerKind balancer = BalancerKind.valueOf(config.balancer().name());
        TargetTls tls = null;
        if (config.tls() != null) {
            if (targets.stream().noneMatch(target -> target.scheme().equals("https"))) {
                problems.add(loaded.problemAt(path + ".tls", "applies to https:// targets, and upstream '" + name
                        + "' has none"));
                return null;
            }
            try {
                tls = TargetTls.load(config.tls(), home);
            } catch (InvalidConfigException e) {
                problems.add(loaded.problemAt(path + ".tls." + e.field(), e.getMessage()));
                return null;
            }
        }
        try {
            return Upstream.create(new UpstreamSpec(name, List.copyOf(targets), balancer, hashOn, health, passive, tls),
                    clock);
        } catch (IllegalArgumentException e) {
            problems.add(loaded.problemAt(path.endsWith(".url") ? path : path + ".targets", e.getMessage()));
            return null;
        }
    }

    private static List<ConsumerDefinition> consumers(LoadedConfig loaded, List<ConfigProblem> problems) {
        List<ConsumerDefinition> consumers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<ConsumerConfig> configured = loaded.config().consumers();
        for (int i = 0; i < configured.size(); i++) {
            ConsumerConfig consumer = configured.get(i);
            if (!ids.add(consumer.id())) {
                problems.add(loaded.problemAt("consumers[" + i + "].id", "consumer id '" + consumer.id() + "' is used twice"));
            }
            consumers.add(new ConsumerDefinition(consumer.id(), consumer.groups(), consumer.credentials()));
        }
        return List.copyOf(consumers);
    }

    private void addFilters(LoadedConfig loaded, FilterCatalog catalog, String routeId, String path,
                            List<PluginEntry> entries, List<ConsumerDefinition> consumers, SideCalls sideCalls,
                            RetiringScheduler scheduler, List<NamedFilter> filters,
                            List<ConfigProblem> problems) {
        for (int i = 0; i < entries.size(); i++) {
            PluginEntry entry = entries.get(i);
            String at = path + "[" + i + "]";
            // js is the core's own: its engine cannot live in a plugin's class loader
            FilterFactory<?> factory = entry.name().equals(scripts.name()) ? scripts : catalog.find(entry.name());
            if (factory == null) {
                Set<String> known = new TreeSet<>(catalog.names());
                known.add(scripts.name());
                String why = catalog.whyMissing(entry.name());
                problems.add(loaded.problemAt(at + ".name", "no plugin named '" + entry.name() + "' is loaded; "
                        + (why != null ? why + "; " : "")
                        + (known.isEmpty() ? "no plugins are loaded" : "the loaded plugins are: " + String.join(", ", known))));
                continue;
            }
            NamedFilter filter = create(loaded, catalog, routeId, at, entry, factory, consumers, sideCalls, scheduler, problems);
            if (filter != null) {
                filters.add(filter);
            }
        }
    }

    private <C extends Record> NamedFilter create(LoadedConfig loaded, FilterCatalog catalog, String routeId, String at, PluginEntry entry,
                                                  FilterFactory<C> factory, List<ConsumerDefinition> consumers,
                                                  SideCalls sideCalls, RetiringScheduler scheduler,
                                                  List<ConfigProblem> problems) {
        ConfigNode node = entry.config() != null ? entry.config()
                : new ConfigNode.MapNode(at + ".config", loaded.nodeAt(at).line(), Map.of());
        C config;
        try {
            config = io.portico.core.config.RecordBinder.bind(node, factory.configType(), loaded.source());
        } catch (ConfigException e) {
            // the YAML path says where; the words say which plugin, on which route, so nobody counts indexes
            String owner = "plugin '" + entry.name() + "'" + (routeId == null ? " (global)" : " on route '" + routeId + "'");
            e.problems().forEach(problem -> problems.add(new ConfigProblem(problem.path(), problem.line(),
                    owner + ": " + problem.message())));
            return null;
        }
        try {
            Phase phase = factory.phase();
            PluginContext lent = catalog.contextFor(factory);
            GatewayFilter filter = factory.create(config, new ConfiguredContext(lent, consumers, sideCalls, sockets,
                    metrics.forPlugin(lent.pluginId()), scheduler.over(lent.scheduler())));
            if (filter instanceof AutoCloseable closeable) {
                scheduler.closeOnRetire(entry.name(), closeable);
            }
            return new NamedFilter(factory.name(), phase, filter);
        } catch (RuntimeException | LinkageError e) {
            // a plugin jar missing a class fails here, at load, and is reported like a refusal
            problems.add(loaded.problemAt(at + ".config", "plugin '" + entry.name() + "'"
                    + (routeId == null ? "" : " on route '" + routeId + "'") + " refused its configuration: "
                    + (e instanceof LinkageError ? e : e.getMessage())));
            return null;
        }
    }

    private static List<HeaderCondition> headerConditions(Map<String, ConditionConfig> conditions) {
        List<HeaderCondition> list = new ArrayList<>();
        conditions.forEach((name, condition) -> list.add(condition.equals() != null
                ? new HeaderCondition(name, HeaderCondition.Kind.EQUALS, condition.equals())
                : condition.regex() != null ? new HeaderCondition(name, HeaderCondition.Kind.REGEX, condition.regex())
                : new HeaderCondition(name, condition.present() ? HeaderCondition.Kind.PRESENT : HeaderCondition.Kind.ABSENT,
                        null)));
        return list;
    }

    private static List<QueryCondition> queryConditions(Map<String, ConditionConfig> conditions) {
        List<QueryCondition> list = new ArrayList<>();
        conditions.forEach((name, condition) -> list.add(condition.equals() != null
                ? new QueryCondition(name, QueryCondition.Kind.EQUALS, condition.equals())
                : condition.regex() != null ? new QueryCondition(name, QueryCondition.Kind.REGEX, condition.regex())
                : new QueryCondition(name, condition.present() ? QueryCondition.Kind.PRESENT : QueryCondition.Kind.ABSENT,
                        null)));
        return list;
    }

    private static String routePathNamedIn(String message, List<RouteConfig> routes) {
        for (int i = 0; i < routes.size(); i++) {
            if (message != null && message.contains("'" + routes.get(i).id() + "'")) {
                return "routes[" + i + "]";
            }
        }
        return "routes";
    }
}
