package io.portico.core.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print Portico's version and the Java it runs on.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("portico " + PorticoCommand.version());
        System.out.println("java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        return 0;
    }
}
