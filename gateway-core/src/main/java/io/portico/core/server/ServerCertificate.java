package io.portico.core.server;

import io.portico.core.config.ConfigException;
import io.portico.core.config.LoadedConfig;
import io.portico.core.config.TlsConfig;
import io.portico.core.tls.PemKeyStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
    private final TlsConfig tls;
    private final List<Path> files;
    private Material serving;

    /**
     * A key store read from the TLS port's files, and a digest of the very bytes it was read from:
     * comparing the files with that digest tells whether what is served is what they hold.
     */
    record Material(KeyStore store, byte[] digest) {
    }

    private ServerCertificate(SslContextFactory.Server factory, TlsConfig tls, List<Path> files, Material serving) {
        this.factory = factory;
        this.tls = tls;
        this.files = files;
        this.serving = serving;
    }

    /**
     * Reads the TLS port's certificate and key (or key store) and checks that a TLS context starts
     * with them: the key is the certificate's, and the password opens it.
     *
     * @throws ConfigException naming {@code server.tls}'s setting at fault and its line
     */
    static Material read(LoadedConfig loaded, Path home) throws ConfigException {
        TlsConfig tls = loaded.config().server().tls();
        return parse(loaded, tls, readAll(loaded, tls, files(tls, home)));
    }

    /** The certificate of the server's TLS connector, as {@code serving} was read at start. */
    static ServerCertificate of(Server server, TlsConfig tls, Path home, Material serving) {
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
        return new ServerCertificate(factory, tls, files(tls, home), serving);
    }

    /** The files the certificate is read from. */
    List<Path> files() {
        return files;
    }

    /**
     * Reads the files again, and when their content is not what is served, checks it completely.
     *
     * @return what puts the new certificate in place, or {@code null} when nothing changed
     * @throws ConfigException naming {@code server.tls}'s setting and line when the new files do not
     *                         make a usable certificate (a key of another certificate, a file half
     *                         written): the running certificate stays
     */
    Runnable prepare(LoadedConfig loaded) throws ConfigException {
        List<byte[]> contents = readAll(loaded, tls, files);
        if (Arrays.equals(digest(contents), serving.digest())) {
            return null;
        }
        Material next = parse(loaded, tls, contents);
        return () -> serve(next);
    }

    private void serve(Material next) {
        try {
            factory.reload(reloaded -> reloaded.setKeyStore(next.store()));
            serving = next;
            LOG.info("the TLS port presents the new certificate from {}", files.getFirst());
            return;
        } catch (Exception e) {
            LOG.error("the new TLS certificate from {} could not be put in place; putting the previous one back",
                    files.getFirst(), e);
        }
        // Jetty keeps no context after a failed reload: without the old one back no handshake would succeed
        try {
            factory.reload(reloaded -> reloaded.setKeyStore(serving.store()));
        } catch (Exception e) {
            LOG.error("the previous TLS certificate could not be put back either; TLS handshakes fail until the"
                    + " files hold a certificate that loads", e);
        }
    }

    /** The files the TLS port's certificate is read from, as {@code tls} names them. */
    static List<Path> files(TlsConfig tls, Path home) {
        return tls.keystore() != null ? List.of(home.resolve(tls.keystore()))
                : List.of(home.resolve(tls.certificate()), home.resolve(tls.key()));
    }

    /** The setting that names each file, in the order of {@link #files}. */
    private static List<String> settings(TlsConfig tls) {
        return tls.keystore() != null ? List.of("keystore") : List.of("certificate", "key");
    }

    private static List<byte[]> readAll(LoadedConfig loaded, TlsConfig tls, List<Path> files) throws ConfigException {
        List<byte[]> contents = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            try {
                contents.add(Files.readAllBytes(files.get(i)));
            } catch (IOException e) {
                throw problem(loaded, settings(tls).get(i), (e instanceof NoSuchFileException ? "no file " : "")
                        + e.getMessage());
            }
        }
        return Collections.unmodifiableList(contents);
    }

    private static Material parse(LoadedConfig loaded, TlsConfig tls, List<byte[]> contents) throws ConfigException {
        try {
            KeyStore store = tls.keystore() != null
                    ? pkcs12(contents.getFirst(), tls.keystore(), tls.password())
                    : PemKeyStore.load(contents.get(0), tls.certificate(), contents.get(1), tls.key(),
                    tls.password().toCharArray());
            tryServing(store, tls.password());
            return new Material(store, digest(contents));
        } catch (PemKeyStore.KeyFileException e) {
            throw problem(loaded, "key", e.getMessage());
        } catch (IOException | GeneralSecurityException e) {
            throw problem(loaded, settings(tls).getFirst(), e.getMessage());
        }
    }

    private static ConfigException problem(LoadedConfig loaded, String setting, String message) {
        return new ConfigException(loaded.source(), List.of(loaded.problemAt("server.tls." + setting,
                "cannot be used: " + message)));
    }

    private static KeyStore pkcs12(byte[] content, String name, String password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(content), password.toCharArray());
        boolean hasKey = false;
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                hasKey = true;
                // the TLS context opens the key with the store's password; a key with its own fails every handshake
                try {
                    store.getKey(alias, password.toCharArray());
                } catch (GeneralSecurityException e) {
                    throw new GeneralSecurityException(name + ": the password does not open the key '" + alias + "'", e);
                }
            }
        }
        if (!hasKey) {
            throw new GeneralSecurityException(name + " holds no private key, only certificates");
        }
        return store;
    }

    /**
     * Starts a TLS context with the store, as the port will: what Jetty refuses here it would refuse
     * on the port after the swap, with no context left serving.
     */
    private static void tryServing(KeyStore store, String password) throws GeneralSecurityException {
        SslContextFactory.Server trial = new SslContextFactory.Server();
        trial.setKeyStore(store);
        trial.setKeyStorePassword(password);
        try {
            trial.start();
            trial.stop();
        } catch (Exception e) {
            throw new GeneralSecurityException("no TLS context starts with it: " + e.getMessage(), e);
        }
    }

    private static byte[] digest(List<byte[]> contents) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] content : contents) {
                // each file's length first: bytes moved from one file to the other are a change
                digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(content.length).array());
                digest.update(content);
            }
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
