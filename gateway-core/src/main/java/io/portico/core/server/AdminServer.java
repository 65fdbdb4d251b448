package io.portico.core.server;

import io.portico.core.config.AdminConfig;
import io.portico.core.observe.GatewayMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The admin endpoints, on their own port (127.0.0.1 unless configured otherwise), apart from the
 * traffic: {@code GET /health} and {@code GET /metrics} (Prometheus text format). Its own small
 * thread pool, so a scrape never competes with requests for threads.
 */
final class AdminServer implements AutoCloseable {
    private final Server server;

    private AdminServer(Server server) {
        this.server = server;
    }

    static AdminServer start(AdminConfig config, GatewayMetrics metrics, Supplier<Snapshot> snapshot) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("portico-admin");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setName("admin");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
                    return answer(response, callback, 405, "application/problem+json",
                            "{\"title\":\"Method Not Allowed\",\"status\":405}");
                }
                return switch (path) {
                    case "/metrics" -> answer(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8",
                            metrics.scrape());
                    case "/health" -> {
                        Snapshot current = snapshot.get();
                        yield answer(response, callback, 200, "application/json", "{\"status\":\"UP\",\"configuration\":"
                                + current.generation() + ",\"routes\":" + current.router().size() + "}");
                    }
                    default -> answer(response, callback, 404, "application/problem+json",
                            "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"the admin port serves /health and /metrics\"}");
                };
            }
        });
        server.start();
        return new AdminServer(server);
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    private static boolean answer(Response response, Callback callback, int status, String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
