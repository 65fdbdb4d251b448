package io.portico.core.config;

import io.portico.api.InvalidConfigException;

/**
 * How the gateway speaks TLS to an upstream's {@code https://} targets. Files are PEM, relative to
 * the installation folder.
 *
 * @param ca          certificates to trust instead of the JVM's trust store: a private CA, or a
 *                    target's own self-signed certificate
 * @param verify      whether the target's certificate and name are checked; default true. False
 *                    accepts any certificate (nginx's {@code proxy_ssl_verify off}): for tests only
 * @param serverName  the name sent in SNI and checked against the certificate, in place of the
 *                    target URL's host (nginx's {@code proxy_ssl_name}); for targets given by address,
 *                    or upstreams that route on SNI
 * @param certificate a client certificate chain to present, for upstreams that require one (mutual TLS)
 * @param key         the client certificate's private key (PKCS#8, unencrypted)
 */
public record TargetTlsConfig(String ca, Boolean verify, String serverName, String certificate, String key) {

    public TargetTlsConfig {
        verify = verify == null || verify;
        InvalidConfigException.require(verify || ca == null, "ca", "is of no use with verify: false; remove one of them");
        InvalidConfigException.require(certificate != null || key == null, "certificate", "is needed with key");
        InvalidConfigException.require(key != null || certificate == null, "key", "is needed with certificate");
        InvalidConfigException.require(serverName == null || !serverName.isBlank(), "serverName", "must not be empty");
    }
}
