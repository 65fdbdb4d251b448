package io.portico.core.cli;

import io.portico.api.Headers;
import io.portico.core.config.ConfigException;
import io.portico.core.routing.PathRewrite;
import io.portico.core.routing.RouteMatch;
import io.portico.core.server.RouteRuntime;
import io.portico.core.server.Snapshot;
import io.portico.core.upstream.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpURI;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "explain", description = "Show which route, filters and upstream a request would take, without sending it.")
final class ExplainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "METHOD")
    String method;

    @Parameters(index = "1", paramLabel = "URL", description = "http://host/path?query, or just /path?query")
    String url;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "a request header; repeatable")
    List<String> headers = List.of();

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "default: conf/portico.yaml")
    Path file;

    @Override
    public Integer call() throws Exception {
        Path config = PorticoCommand.configFile(file);
        Snapshot snapshot;
        try (Plugins plugins = Plugins.load(PorticoCommand.home(), Configs.load(config))) {
            snapshot = Configs.check(Configs.load(config), plugins.catalog());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        HttpURI uri = HttpURI.build(url.startsWith("/") ? "http://localhost" + url : url);
        String path = uri.getCanonicalPath();
        if (path == null) {
            System.err.println("the path of " + url + " is ambiguous or invalid: the gateway would answer 400");
            return 2;
        }
        Headers.Builder builder = Headers.builder();
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                System.err.println("-H takes 'Name: value', not '" + header + "'");
                return 2;
            }
            builder.add(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        String verb = method.toUpperCase(Locale.ROOT);
        RouteMatch<RouteRuntime> match = snapshot.router().match(host, verb, path, builder.build(), uri.getQuery());
        if (match instanceof RouteMatch.NotFound<RouteRuntime>) {
            System.out.println("no route matches " + verb + " " + host + path + ": the gateway would answer 404");
            return 3;
        }
        if (match instanceof RouteMatch.MethodNotAllowed<RouteRuntime> notAllowed) {
            System.out.println("a route matches " + path + " but not " + verb + ": the gateway would answer 405, Allow: "
                    + String.join(", ", notAllowed.allowed()));
            return 3;
        }
        RouteMatch.Found<RouteRuntime> found = (RouteMatch.Found<RouteRuntime>) match;
        RouteRuntime route = found.route().target();
        String forwarded = PathRewrite.of(route.stripPrefix(), route.rewrite()).apply(path, found);
        var upstream = snapshot.upstreams().get(route.upstreamName());
        System.out.println("route:      " + route.id());
        if (!found.pathVariables().isEmpty()) {
            System.out.println("variables:  " + found.pathVariables().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        }
        System.out.println("filters:    " + (route.pipeline().filters().isEmpty() ? "(none)"
                : route.pipeline().filters().stream().map(f -> f.name() + " (" + f.phase().name().toLowerCase(Locale.ROOT) + ")")
                .collect(Collectors.joining(" -> "))));
        System.out.println("upstream:   " + route.upstreamName() + " -> " + upstream.targets().stream()
                .map(Target::baseUri).collect(Collectors.joining(", ")));
        System.out.println("forwards:   " + verb + " " + forwarded + (uri.getQuery() == null ? "" : "?" + uri.getQuery()));
        return 0;
    }
}
