package io.portico.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a {@link TestGateway} around a test class (as a {@code static}
 * field) or around each test (as an instance field), and hands tests an HTTP client to it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static PorticoExtension portico = PorticoExtension.of(gateway -> gateway
 *         .yaml("""
 *             routes:
 *               - id: hello
 *                 match: { paths: [/hello/**] }
 *                 url: http://127.0.0.1:9000
 *                 plugins: [{ name: greeting }]
 *             """)
 *         .filters(new GreetingFactory()));
 *
 * @Test
 * void greets() throws Exception {
 *     assertEquals("hello", portico.get("/hello/x").headers().firstValue("X-Greeting").orElseThrow());
 * }
 * }</pre>
 *
 * <p>The builder is applied when the gateway starts, so values computed in an earlier callback
 * (a backend's port, in a {@code @BeforeAll} that runs first) can be read from fields.
 */
public final class PorticoExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private final Consumer<TestGateway.Builder> setup;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TestGateway gateway;
    private boolean perClass;

    private PorticoExtension(Consumer<TestGateway.Builder> setup) {
        this.setup = setup;
    }

    /** An extension whose gateway {@code setup} describes. */
    public static PorticoExtension of(Consumer<TestGateway.Builder> setup) {
        return new PorticoExtension(setup);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            stop();
        }
    }

    /** The running gateway. */
    public TestGateway gateway() {
        if (gateway == null) {
            throw new IllegalStateException("the gateway runs only while a test of the class runs");
        }
        return gateway;
    }

    /** An HTTP/1.1 client for talking to it. */
    public HttpClient client() {
        return client;
    }

    /** A URL on the gateway. */
    public URI uri(String pathAndQuery) {
        return gateway().uri(pathAndQuery);
    }

    /** Sends a GET and reads the answer as text. */
    public HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).build());
    }

    /** Sends a request and reads the answer as text. */
    public HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void start() throws Exception {
        TestGateway.Builder builder = TestGateway.builder();
        setup.accept(builder);
        gateway = builder.start();
    }

    private void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }
}
