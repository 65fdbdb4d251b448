package io.portico.core.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portico hash-secret}: turns a password or an API key into the hashed form the
 * {@code consumers:} section stores. The secret is read from the terminal without echo, or from
 * the first line of standard input, never from the command line, where it would end up in the
 * shell's history and the process list.
 */
@Command(name = "hash-secret", description = {
        "Hash a password or an API key for the consumers: section of the configuration.",
        "The secret is read from the terminal (not echoed) or the first line of standard input."})
final class HashSecretCommand implements Callable<Integer> {

    enum Kind { PASSWORD, API_KEY }

    enum Algorithm { BCRYPT, PBKDF2 }

    @Option(names = "--kind", description = "password (basic-auth) or api-key (key-auth); default: ${DEFAULT-VALUE}",
            defaultValue = "password", converter = KindConverter.class)
    Kind kind;

    @Option(names = "--algorithm", description = "for passwords: bcrypt or pbkdf2; default: ${DEFAULT-VALUE}",
            defaultValue = "bcrypt", converter = AlgorithmConverter.class)
    Algorithm algorithm;

    @Option(names = "--cost", description = "bcrypt cost (4 to 31); default: ${DEFAULT-VALUE}", defaultValue = "12")
    int cost;

    @Option(names = "--generate", description = "with --kind api-key: make a new random key and print it with its hash")
    boolean generate;

    @Override
    public Integer call() throws IOException {
        SecretHashes hashes = new SecretHashes(new SecureRandom());
        if (generate) {
            if (kind != Kind.API_KEY) {
                System.err.println("hash-secret: --generate makes API keys; add --kind api-key");
                return 2;
            }
            String key = hashes.newApiKey();
            System.out.println("key:  " + key);
            System.out.println("hash: " + SecretHashes.apiKey(key));
            return 0;
        }
        if (cost < 4 || cost > 31) {
            System.err.println("hash-secret: --cost must be between 4 and 31");
            return 2;
        }
        String secret = readSecret();
        if (secret == null || secret.isEmpty()) {
            System.err.println("hash-secret: no secret given (type it, or pipe it on standard input)");
            return 2;
        }
        if (kind == Kind.PASSWORD && algorithm == Algorithm.BCRYPT
                && secret.getBytes(StandardCharsets.UTF_8).length > 72) {
            System.err.println("hash-secret: bcrypt reads at most 72 bytes of a password; use --algorithm pbkdf2");
            return 2;
        }
        System.out.println(switch (kind) {
            case API_KEY -> SecretHashes.apiKey(secret);
            case PASSWORD -> algorithm == Algorithm.BCRYPT ? hashes.bcrypt(secret, cost)
                    : hashes.pbkdf2(secret, SecretHashes.PBKDF2_ITERATIONS);
        });
        return 0;
    }

    private String readSecret() throws IOException {
        Console console = System.console();
        if (isTerminal(console)) {
            char[] typed = console.readPassword("secret: ");
            return typed == null ? null : new String(typed);
        }
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    /**
     * On Java 22 and later {@code System.console()} exists even when input is piped, and only
     * {@code isTerminal()} (absent from Java 21, which we compile for) tells the two apart.
     */
    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException java21) {
            return true;
        }
    }

    static final class KindConverter implements picocli.CommandLine.ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            return switch (value) {
                case "password" -> Kind.PASSWORD;
                case "api-key" -> Kind.API_KEY;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a kind; use password or api-key");
            };
        }
    }

    static final class AlgorithmConverter implements picocli.CommandLine.ITypeConverter<Algorithm> {
        @Override
        public Algorithm convert(String value) {
            return switch (value) {
                case "bcrypt" -> Algorithm.BCRYPT;
                case "pbkdf2" -> Algorithm.PBKDF2;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not an algorithm; use bcrypt or pbkdf2");
            };
        }
    }
}
