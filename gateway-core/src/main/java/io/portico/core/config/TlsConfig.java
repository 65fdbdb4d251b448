package io.portico.core.config;

import io.portico.api.InvalidConfigException;

/**
 * TLS termination with HTTP/2 over ALPN (and HTTP/1.1 for clients that ask for it).
 *
 * @param port        the TLS port; default 8443 ({@code 0} picks a free port)
 * @param certificate a PEM file holding the certificate chain
 * @param key         a PEM file holding the private key (PKCS#8, unencrypted)
 * @param keystore    or: a PKCS12 keystore instead of the two PEM files
 * @param password    the keystore's password
 */
public record TlsConfig(Integer port, String certificate, String key, String keystore, String password) {

    public TlsConfig {
        port = port == null ? 8443 : port;
        boolean pem = certificate != null || key != null;
        InvalidConfigException.require(pem || keystore != null, "certificate",
                "set certificate and key (PEM files), or keystore and password (PKCS12)");
        InvalidConfigException.require(!(pem && keystore != null), "keystore",
                "set either certificate and key, or keystore, not both");
        if (pem) {
            InvalidConfigException.require(certificate != null, "certificate", "is needed with key");
            InvalidConfigException.require(key != null, "key", "is needed with certificate");
        }
        password = password == null ? "" : password;
    }
}
