package io.portico.plugins.ratelimit;

import io.portico.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A Portico node in a process of its own, for tests that need two gateways that share nothing but
 * Redis: {@code GatewayNode YAML_FILE PLUGINS_FOLDER PORT_FILE [NAME=VALUE ...]}. It loads its
 * plugins from the folder as {@code bin/portico run} does, writes its port to PORT_FILE once it
 * listens, and stops when its standard input closes.
 */
public final class GatewayNode {
    private GatewayNode() {
    }

    public static void main(String[] args) throws Exception {
        TestGateway.Builder builder = TestGateway.builder().yaml(Files.readString(Path.of(args[0])))
                .pluginsFolder(Path.of(args[1]));
        for (int i = 3; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            builder.env(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        try (TestGateway gateway = builder.start()) {
            Path portFile = Path.of(args[2]);
            Path written = Files.writeString(portFile.resolveSibling(portFile.getFileName() + ".tmp"),
                    Integer.toString(gateway.port()));
            Files.move(written, portFile, StandardCopyOption.ATOMIC_MOVE);
            while (System.in.read() >= 0) {
                // wait for the test to close our standard input
            }
        }
        System.exit(0);
    }
}
