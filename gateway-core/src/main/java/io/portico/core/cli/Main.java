package io.portico.core.cli;

import picocli.CommandLine;

/** The entry point of {@code bin/portico}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new PorticoCommand()).execute(args);
        if (exit != 0 || !PorticoCommand.isLongRunning(args)) {
            System.exit(exit);
        }
    }
}
