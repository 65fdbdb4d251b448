package io.portico.core.tls;

import io.portico.api.InvalidConfigException;
import io.portico.core.config.TargetTlsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An upstream's TLS settings made ready: a started client-side context factory that trusts, names
 * and presents what the settings say. Two are equal when made of the same settings and the same
 * file contents, so a reload that changes neither keeps the connections (and jetty-client's
 * destinations) made with the first, and one that changes a file gets new ones.
 */
public final class TargetTls {
    private static final char[] KEY_PASSWORD = "portico".toCharArray();

    private final String identity;
    private final SslContextFactory.Client factory;

    private TargetTls(String identity, SslContextFactory.Client factory) {
        this.identity = identity;
        this.factory = factory;
    }

    /**
     * Reads the files (relative to {@code home}) and starts the factory.
     *
     * @throws InvalidConfigException naming the setting ({@code ca}, {@code certificate}, {@code key})
     *                                whose file is missing or unreadable
     */
    public static TargetTls load(TargetTlsConfig config, Path home) {
        MessageDigest digest = sha256();
        digest.update((config.verify() + "\n" + config.serverName() + "\n").getBytes(StandardCharsets.UTF_8));
        SslContextFactory.Client factory = config.serverName() == null ? new SslContextFactory.Client()
                : new Named(config.serverName());
        if (!config.verify()) {
            factory.setTrustAll(true);
            factory.setEndpointIdentificationAlgorithm(null);
        }
        String blamed = null;
        if (config.ca() != null) {
            // the bytes digested are the bytes parsed: a file replaced in between is seen at the next poll
            byte[] ca = read("ca", home.resolve(config.ca()), digest);
            factory.setTrustStore(parse("ca", () -> PemKeyStore.trust(ca, config.ca())));
            blamed = "ca";
        }
        if (config.certificate() != null) {
            byte[] certificate = read("certificate", home.resolve(config.certificate()), digest);
            byte[] key = read("key", home.resolve(config.key()), digest);
            factory.setKeyStore(parse("certificate", () -> PemKeyStore.load(certificate, config.certificate(), key,
                    config.key(), KEY_PASSWORD)));
            factory.setKeyStorePassword(new String(KEY_PASSWORD));
            blamed = blamed == null ? "certificate" : blamed;
        }
        try {
            factory.start();
        } catch (Exception e) {
            throw new InvalidConfigException(blamed != null ? blamed : "verify", "could not be used for TLS: " + e.getMessage());
        }
        return new TargetTls(HexFormat.of().formatHex(digest.digest()), factory);
    }

    /** Makes the client-side engines of connections to the targets. */
    public SslContextFactory.Client factory() {
        return factory;
    }

    /** A digest of the settings and files, for keying pools. */
    public String identity() {
        return identity;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TargetTls tls && tls.identity.equals(identity);
    }

    @Override
    public int hashCode() {
        return identity.hashCode();
    }

    @Override
    public String toString() {
        return "TargetTls[" + identity.substring(0, 12) + "]";
    }

    private interface Reading<T> {
        T read() throws GeneralSecurityException;
    }

    private static byte[] read(String setting, Path file, MessageDigest digest) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            digest.update(bytes);
            return bytes;
        } catch (IOException e) {
            throw new InvalidConfigException(setting, "cannot read " + file + ": " + e);
        }
    }

    private static <T> T parse(String setting, Reading<T> reading) {
        try {
            return reading.read();
        } catch (PemKeyStore.KeyFileException e) {
            throw new InvalidConfigException("key", e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new InvalidConfigException(setting, e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Sends and checks the configured name in place of the address connected to. */
    private static final class Named extends SslContextFactory.Client {
        private final String serverName;

        Named(String serverName) {
            this.serverName = serverName;
        }

        @Override
        public SSLEngine newSSLEngine(String host, int port) {
            return super.newSSLEngine(serverName, port);
        }
    }
}
