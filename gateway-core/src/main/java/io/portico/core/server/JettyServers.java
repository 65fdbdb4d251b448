package io.portico.core.server;

import io.portico.core.config.LimitsConfig;
import io.portico.core.config.ServerConfig;
import io.portico.core.config.TlsConfig;
import io.portico.core.tls.TargetTlsRouter;
import java.security.KeyStore;
import java.time.Duration;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Builds the Jetty server and the shared upstream client the way the gateway needs them. */
final class JettyServers {
    // connections the kernel holds for the acceptor: Jetty's default of 50 overflowed when a burst
    // of clients connected faster than one acceptor took them, and each overflow cost the client a
    // SYN resent a second later; nginx listens with 511
    private static final int ACCEPT_QUEUE = 511;

    private JettyServers() {
    }

    /**
     * The server with its connectors; the handler is set by the caller.
     *
     * @param certificate what the TLS port presents (read by {@link ServerCertificate#read}), or null without TLS
     */
    static Server server(ServerConfig config, KeyStore certificate) throws Exception {
        QueuedThreadPool threads = new ServerThreads(200, 4);
        threads.setName("portico");
        // no reserved threads: Jetty then runs non-blocking work on the thread that found it
        // instead of handing production to another thread (measured: fewer context switches)
        threads.setReservedThreads(0);
        // requests run on virtual threads so filters may block; selectors stay on platform threads
        threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("portico-request"));
        Server server = new Server(threads);
        server.setStopTimeout(config.drainTimeout().toMillis());
        server.setStopAtShutdown(false);

        LimitsConfig limits = config.limits();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize((int) limits.maxHeaderSize().bytes());
        http.setHttpCompliance(HttpCompliance.RFC9110);
        http.setUriCompliance(UriCompliance.DEFAULT);
        http.setIdleTimeout(limits.idleTimeout().toMillis());
        // a client trickling bytes is cut off rather than holding a connection forever
        http.setMinRequestDataRate(1024);
        // Jetty's parser keeps a cache of each connection's repeated header fields: a 96 KB table
        // from the second request on, so 1,350 kept connections filled a 192 MB heap. Without it a
        // connection costs a few KB (docs/architecture.md)
        http.setHeaderCacheSize(0);

        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        h2c.setMaxConcurrentStreams(256);
        SharedSelectorConnector plain = new SharedSelectorConnector(server, 1, selectors(), http1, h2c);
        plain.setHost(config.host());
        plain.setPort(config.port());
        plain.setIdleTimeout(limits.idleTimeout().toMillis());
        plain.setAcceptQueueSize(ACCEPT_QUEUE);
        plain.setName("http");
        server.addConnector(plain);

        if (config.tls() != null) {
            server.addConnector(tlsConnector(server, config, http, certificate));
        }
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
        return server;
    }

    private static ServerConnector tlsConnector(Server server, ServerConfig config, HttpConfiguration http,
                                                KeyStore certificate)
            throws Exception {
        TlsConfig tls = config.tls();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(certificate);
        ssl.setKeyStorePassword(tls.password());
        ssl.setCipherComparator(org.eclipse.jetty.http2.HTTP2Cipher.COMPARATOR);

        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);

        HttpConnectionFactory http1 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        h2.setMaxConcurrentStreams(256);
        // ALPN names as on the wire (RFC 7301): Jetty compares them with the client's exactly, and
        // its HTTP/1.1 factory is named "HTTP/1.1", so a client offering only http/1.1 was refused
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, alpn.getProtocol());
        ServerConnector connector = new ServerConnector(server, 1, selectors(), tlsFactory, alpn, h2, http1);
        connector.setHost(config.host());
        connector.setPort(tls.port());
        connector.setIdleTimeout(config.limits().idleTimeout().toMillis());
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.setName("https");
        return connector;
    }

    /**
     * The one client every upstream call goes through: keep-alive pools per target, no cookies,
     * no redirects, no authentication of its own, no content decoding, no User-Agent of its own.
     * Its connections are registered with the plain connector's selector, and it parses answers on
     * the thread that selected them: one exchange, both halves, one thread (architecture.md). This
     * starts the server's threads and that selector; {@link #release} stops them again should the
     * server then never start.
     */
    static HttpClient client(Duration connectTimeout, Server server) throws Exception {
        SharedSelectorConnector plain = plainConnector(server);
        startEarly(server, server.getThreadPool());
        // the selector times connects with the connector's scheduler: a plugin may connect while its
        // filter is made, before the server (which would start the scheduler) starts
        startEarly(server, plain.getScheduler());
        plain.getSelectorManager().start();
        UpstreamConnector connector = new UpstreamConnector(plain.getSelectorManager());
        plain.carryUpstream(connector);
        connector.setSslContextFactory(new TargetTlsRouter());
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        // answers are parsed and relayed on the selecting thread; everything done there is non-blocking
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        HttpClient client = new HttpClient(transport);
        // for what the client still runs apart (time-outs, TLS handshakes): a few threads suffice
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("portico-client");
        threads.setReservedThreads(0);
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.getContentDecoderFactories().clear();
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(60_000);
        // a destination (per target, and per TLS settings through the request's tag) whose
        // connections all closed is dropped after a while, or each reload changing a CA or target
        // would leave one behind for good
        client.setDestinationIdleTimeout(300_000);
        client.setMaxConnectionsPerDestination(1024);
        client.setMaxRequestsQueuedPerDestination(4096);
        client.start();
        // the client would answer an upstream's 401 or 407 itself: it buffers the body (and fails
        // past 16 KB) to look for credentials it has not got. A gateway relays challenges as sent.
        // Redirects are never followed (above); 100-continue, 1xx and upgrades stay handled.
        client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        return client;
    }

    /**
     * One selector per core, as nginx has one worker per core: a selector's thread does all the
     * non-blocking work of the exchanges it selects for, both halves, so selectors are the
     * gateway's cores.
     */
    private static int selectors() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Stops what {@link #client} started, for a server that failed before it started. */
    static void release(Server server) {
        LifeCycle.stop(plainConnector(server).getSelectorManager());
        LifeCycle.stop(plainConnector(server).getScheduler());
        LifeCycle.stop(server.getThreadPool());
    }

    /**
     * Starts one of the server's parts before the server, still to be stopped with it: a bean the
     * server finds running when it starts is otherwise left alone, also when it stops.
     */
    private static void startEarly(Server server, Object part) {
        if (server.contains(part)) {
            server.manage(part);
        }
        LifeCycle.start(part);
    }

    private static SharedSelectorConnector plainConnector(Server server) {
        return (SharedSelectorConnector) server.getConnectors()[0];
    }
}
