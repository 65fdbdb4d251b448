package io.portico.core.server;

import io.portico.core.config.ConfigException;
import io.portico.core.config.LoadedConfig;
import io.portico.core.config.TlsConfig;
import io.portico.core.tls.PemKeyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate the TLS port presents, replaced without a restart when its files change (a
 * renewal by certbot, a rotated Kubernetes secret). New handshakes get the new certificate; open
 * connections keep the one they were made with. Called under the gateway's reload lock.
 */
final class ServerCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);

    private final SslContextFactory.Server factory;
    private final List<Path> files;
    private byte[] digest;

    private ServerCertificate(SslContextFactory.Server factory, List<Path> files, byte[] digest) {
        this.factory = factory;
        this.files = files;
        this.digest = digest;
    }

    /**
     * Reads the TLS port's certificate and key (or key store) and checks that they belong together.
     *
     * @throws ConfigException naming {@code server.tls}'s setting and its line
     */
    static KeyStore read(LoadedConfig loaded, Path home) throws ConfigException {
        TlsConfig tls = loaded.config().server().tls();
        try {
            return tls.keystore() != null ? pkcs12(home.resolve(tls.keystore()), tls.password())
                    : PemKeyStore.load(home.resolve(tls.certificate()), home.resolve(tls.key()),
                    tls.password().toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            String setting = tls.keystore() != null ? "keystore" : "certificate";
            throw new ConfigException(loaded.source(), List.of(loaded.problemAt("server.tls." + setting,
                    "cannot be used: " + (e instanceof NoSuchFileException ? "no file " : "")
                            + e.getMessage())));
        }
    }

    /** The certificate of the server's TLS connector, as it was read at start. */
    static ServerCertificate of(Server server, TlsConfig tls, Path home) throws IOException {
        SslContextFactory.Server factory = null;
        for (var connector : server.getConnectors()) {
            SslConnectionFactory ssl = connector.getConnectionFactory(SslConnectionFactory.class);
            if (ssl != null) {
                factory = ssl.getSslContextFactory();
            }
        }
        if (factory == null) {
            throw new IllegalStateException("the server has no TLS connector");
        }
        List<Path> files = tls.keystore() != null ? List.of(home.resolve(tls.keystore()))
                : List.of(home.resolve(tls.certificate()), home.resolve(tls.key()));
        return new ServerCertificate(factory, files, digest(files));
    }

    /** The files the certificate is read from. */
    List<Path> files() {
        return files;
    }

    /**
     * Reads the files again when their content changed, and checks them completely.
     *
     * @return what puts the new certificate in place, or {@code null} when nothing changed
     * @throws ConfigException naming {@code server.tls}'s setting and line when the new files do not
     *                         make a usable certificate (a key of another certificate, a file half
     *                         written): the running certificate stays
     */
    Runnable prepare(LoadedConfig loaded, Path home) throws ConfigException {
        byte[] now;
        try {
            now = digest(files);
        } catch (IOException e) {
            throw new ConfigException(loaded.source(), List.of(loaded.problemAt("server.tls",
                    "cannot read the certificate: " + e)));
        }
        if (Arrays.equals(now, digest)) {
            return null;
        }
        KeyStore store = read(loaded, home);
        return () -> {
            try {
                factory.reload(reloaded -> reloaded.setKeyStore(store));
                digest = now;
                LOG.info("the TLS port presents the new certificate from {}", files.getFirst());
            } catch (Exception e) {
                LOG.error("the TLS certificate changed, but it could not be put in place; the previous one stays", e);
            }
        };
    }

    private static KeyStore pkcs12(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static byte[] digest(List<Path> files) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(Files.readAllBytes(file));
            }
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
