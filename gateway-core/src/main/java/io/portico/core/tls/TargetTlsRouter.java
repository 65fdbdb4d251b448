package io.portico.core.tls;

import java.util.Map;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.io.ssl.SslClientConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * jetty-client's TLS (health checks, side calls, WebSocket upgrades): a request tagged with a
 * {@link TargetTls} gets an engine of that upstream's settings, any other one the JVM's trust store
 * and the URL's host name. jetty-client keys its destinations by the tag as well, so connections
 * made with different settings never share a pool.
 */
public final class TargetTlsRouter extends SslContextFactory.Client implements SslClientConnectionFactory.SslEngineFactory {

    @Override
    public SSLEngine newSslEngine(String host, int port, Map<String, Object> context) {
        if (context.get(Destination.CONTEXT_KEY) instanceof Destination destination
                && destination.getOrigin().getTag() instanceof TargetTls tls) {
            return tls.factory().newSSLEngine(host, port);
        }
        return newSSLEngine(host, port);
    }
}
