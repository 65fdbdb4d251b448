package io.portico.core.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

/**
 * How every js filter context is made: no host access beyond the polyglot proxies the gateway
 * hands in, no class lookup, no file or network IO, no threads, processes, native code,
 * environment or other languages; a statement limit; a bound on string length. The prelude then
 * removes the globals that remain ({@code Java}, {@code Packages}...), bounds the builtins that
 * build whole arrays in one statement, and defines {@code respond}, {@code log} and the gateway's
 * entry points.
 */
final class ScriptSandbox {
    /** The longest string a script may build: 16M characters. */
    static final String MAX_STRING_LENGTH = Integer.toString(16 * 1024 * 1024);

    private final Engine engine;
    private final Source prelude;

    ScriptSandbox(Engine engine) {
        this.engine = engine;
        this.prelude = Source.newBuilder("js", read("prelude.js"), "portico-prelude.js").buildLiteral();
    }

    /** A fresh context with the prelude and the script evaluated; throws the script's syntax error. */
    Context context(Source script, long statementLimit) {
        Context context = Context.newBuilder("js").engine(engine)
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(name -> false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                // the one experimental option: without it, one 'x'.repeat(1e9) takes the heap
                .allowExperimentalOptions(true)
                .option("js.string-length-limit", MAX_STRING_LENGTH)
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.console", "false")
                .option("js.graal-builtin", "false")
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(statementLimit, null).build())
                .build();
        try {
            context.eval(prelude);
            context.eval(script);
            context.resetLimits();
            return context;
        } catch (RuntimeException e) {
            close(context);
            throw e;
        }
    }

    /** Closes a context that may have been cancelled or exhausted, which makes close() throw again. */
    static void close(Context context) {
        try {
            context.close(true);
        } catch (RuntimeException alreadyFailed) {
            // the context is gone either way
        }
    }

    private static String read(String resource) {
        try (InputStream in = ScriptSandbox.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the gateway's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
