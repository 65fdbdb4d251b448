package io.portico.core.script;

import com.fasterxml.jackson.databind.JsonNode;
import io.portico.api.AttributeKey;
import io.portico.api.Body;
import io.portico.api.Exchange;
import io.portico.api.Headers;
import io.portico.api.NonBlockingFilter;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One place a script runs. A script that reads no body runs on its file's worker threads; a script
 * that reads bodies runs on a virtual thread of its own when there is a body, since reading a
 * streamed body waits. Every call runs in a pooled context under a watchdog that closes
 * the context past the time-out; a failed call answers with a problem response and its context is
 * thrown away.
 */
final class ScriptFilter implements NonBlockingFilter {
    /** Attributes scripts set, seen by the js filters after them on the same request. */
    static final AttributeKey<ScriptAttributes> ATTRIBUTES = AttributeKey.of("js.attributes", ScriptAttributes.class);
    private static final System.Logger LOG = System.getLogger("portico.js");
    private static final int MAX_HEADERS = 256;
    private static final int MAX_HEADER_CHANGES = 4 * MAX_HEADERS;
    private static final long FIRST_CALL_MILLIS = 1000;
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");

    private final ScriptFile file;
    private final ScriptDeadlines deadlines;
    private final long timeoutMillis;
    private final int errorStatus;
    private final long maxBodySize;
    private final String configJson;
    private final ScriptMeters meters;
    private final String name;
    private final Executor virtualThreads = task -> Thread.ofVirtual().name("portico-js").start(task);

    ScriptFilter(ScriptFile file, ScriptDeadlines deadlines, ScriptFilterFactory.Config config, String configJson,
                 ScriptMeters meters) {
        this.file = file;
        this.deadlines = deadlines;
        this.timeoutMillis = config.timeout().toMillis();
        this.errorStatus = config.errorStatus();
        this.maxBodySize = config.maxBodySize().bytes();
        this.configJson = configJson;
        this.meters = meters;
        this.name = config.script();
    }

    @Override
    public CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain) {
        ScriptVersion version = file.current();
        if (!version.hasOnRequest) {
            return chain.proceed(exchange).thenCompose(response -> afterResponse(version, exchange, response));
        }
        boolean waits = version.mentionsBody && !exchange.request().body().isEmpty();
        return run(version, waits, exchange.requestId(), lease -> onRequest(lease, exchange)).thenCompose(outcome ->
                outcome.answer() != null
                ? CompletableFuture.completedFuture(outcome.answer())
                : chain.proceed(outcome.exchange()).thenCompose(response -> afterResponse(version, outcome.exchange(), response)));
    }

    private record RequestOutcome(Exchange exchange, Response answer) {
    }

    private CompletionStage<Response> afterResponse(ScriptVersion version, Exchange exchange, Response response) {
        if (!version.hasOnResponse) {
            return CompletableFuture.completedFuture(response);
        }
        boolean waits = version.mentionsBody && !response.body().isEmpty();
        return run(version, waits, exchange.requestId(), lease -> onResponse(lease, exchange, response));
    }

    /**
     * Runs a call of a script that reads no body on the file's workers (see ScriptWorkers). A script
     * that may read bodies uses the version's pool: on this thread when a context is free and there
     * is no body to wait for, else on a virtual thread, which may wait for a context (up to the
     * first-call allowance plus the time-out, the longest a busy context can stay busy) and for the body.
     */
    private <T> CompletionStage<T> run(ScriptVersion version, boolean waits, String requestId,
                                       Function<ScriptLease, T> call) {
        if (!version.mentionsBody) {
            CompletableFuture<T> result = file.workers().submit(version, call, e -> translate(e, requestId));
            return result != null ? result : CompletableFuture.failedFuture(busy());
        }
        ScriptLease lease = null;
        if (!waits) {
            try {
                lease = version.tryBorrow();
            } catch (PolyglotException e) {
                return CompletableFuture.failedFuture(translate(e, requestId));
            }
        }
        if (lease != null) {
            return runWith(lease, call);
        }
        return CompletableFuture.supplyAsync(() -> {
            ScriptLease waited;
            try {
                waited = version.borrow(FIRST_CALL_MILLIS + timeoutMillis);
            } catch (PolyglotException e) {
                throw translate(e, requestId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                waited = null;
            }
            if (waited == null) {
                throw busy();
            }
            try {
                return call.apply(waited);
            } finally {
                // as in runWith
                waited.discard();
            }
        }, virtualThreads);
    }

    private ProblemException busy() {
        meters.timeouts().increment();
        return new ProblemException(503, "SCRIPT_BUSY", "Service Unavailable",
                "the filter script " + name + " has more calls waiting than it can take");
    }

    private static <T> CompletionStage<T> runWith(ScriptLease lease,
                                                  Function<ScriptLease, T> call) {
        try {
            return CompletableFuture.completedFuture(call.apply(lease));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            // a call hands its lease back itself (discard is then a no-op); this covers a failure before it ran
            lease.discard();
        }
    }

    private RequestOutcome onRequest(ScriptLease lease, Exchange exchange) {
        ScriptAttributes attributes = attributes(exchange);
        Request request = exchange.request();
        BodyReader body = new BodyReader(request.body());
        JsonNode result = call(lease, lease.prepared.onRequest(), body, exchange.requestId(),
                (ProxyExecutable) arguments -> ScriptData.meta(exchange, attributes.values()), configJson,
                request.method(), request.path(), request.query(), flat(request.headers()));
        Body read = body.consumed(request.body());
        if (result == null) {
            return new RequestOutcome(read == request.body() ? exchange : exchange.withRequest(request.withBody(read)), null);
        }
        attributes.replace(result.path("attributes"));
        Response answer = answer(result.path("respond"), exchange.requestId());
        if (answer != null) {
            return new RequestOutcome(exchange, answer);
        }
        String method = result.has("method") ? result.path("method").asText() : request.method();
        String path = result.has("path") ? result.path("path").asText() : request.path();
        if ((result.has("method") && !METHOD.matcher(method).matches()) || !path.startsWith("/")) {
            throw failed("set a method or path that is not valid: " + method + " " + path, exchange.requestId());
        }
        String query = !result.has("query") ? request.query()
                : result.path("query").isNull() || result.path("query").asText().isEmpty() ? null : result.path("query").asText();
        Headers headers = result.has("headers")
                ? changed(request.headers(), result.path("headers").asText(), exchange.requestId()) : request.headers();
        if (result.path("bodyChanged").asBoolean()) {
            read = Body.of(result.path("body").asText(""));
            headers = headers.without("Content-Length").without("Transfer-Encoding");
        }
        return new RequestOutcome(exchange.withRequest(new Request(method, path, query, headers, read)), null);
    }

    private Response onResponse(ScriptLease lease, Exchange exchange, Response response) {
        ScriptAttributes attributes = attributes(exchange);
        Request request = exchange.request();
        BodyReader body = new BodyReader(response.body());
        JsonNode result = call(lease, lease.prepared.onResponse(), body, exchange.requestId(),
                (ProxyExecutable) arguments -> ScriptData.meta(exchange, attributes.values()), configJson,
                request.method(), request.path(), request.query(), flat(request.headers()), response.status(),
                flat(response.headers()));
        Body read = body.consumed(response.body());
        if (result == null) {
            return read == response.body() ? response : new Response(response.status(), response.headers(), read);
        }
        attributes.replace(result.path("attributes"));
        Response answer = answer(result.path("respond"), exchange.requestId());
        if (answer != null) {
            return answer;
        }
        int status = result.has("status") ? result.path("status").asInt(-1) : response.status();
        if (status < 100 || status > 599 || (result.has("status") && !result.path("status").isInt())) {
            throw failed("set the status to " + result.path("status") + ", not 100 to 599", exchange.requestId());
        }
        Headers headers = result.has("headers")
                ? changed(response.headers(), result.path("headers").asText(), exchange.requestId()) : response.headers();
        if (result.path("bodyChanged").asBoolean()) {
            read = Body.of(result.path("body").asText(""));
            headers = headers.without("Content-Length").without("Transfer-Encoding");
        }
        return new Response(status, headers, read);
    }

    /**
     * Runs one entry point of the prelude in the lease's context, under the watchdog: the
     * arguments, then the body reader. Null when the script changed nothing.
     */
    private JsonNode call(ScriptLease lease, Value entry, BodyReader body, String requestId, Object... arguments) {
        Object[] all = Arrays.copyOf(arguments, arguments.length + 1);
        all[arguments.length] = body;
        Context context = lease.context();
        long start = System.nanoTime();
        meters.calls().increment();
        // a context's first call runs cold (nothing compiled, code parsed lazily): it gets a second; the statement limit still holds
        long allowed = lease.fresh ? Math.max(timeoutMillis, FIRST_CALL_MILLIS) : timeoutMillis;
        deadlines.start(lease, context, allowed);
        boolean clean = false;
        try {
            context.resetLimits();
            Value result = entry.execute(all);
            if (result.isNull()) {
                clean = true;
                return null;
            }
            if (!result.isString() || result.asString().length() > maxBodySize + 1024 * 1024) {
                throw failed("answered something the gateway cannot use", requestId);
            }
            JsonNode parsed = ScriptData.JSON.readTree(result.asString());
            log(parsed.path("logs"), requestId);
            if (parsed.path("respond").has("garbage")) {
                throw failed("returned a " + parsed.path("respond").path("garbage").asText()
                        + " instead of respond(...) or nothing", requestId);
            }
            clean = true;
            return parsed;
        } catch (PolyglotException e) {
            throw translate(e, requestId);
        } catch (IOException e) {
            throw failed("answered something that is not JSON", requestId);
        } finally {
            boolean fired = !deadlines.end(lease);
            if (clean && !fired) {
                lease.giveBack();
            } else {
                lease.discard();
            }
            meters.time().record(System.nanoTime() - start);
        }
    }

    private RuntimeException translate(PolyglotException e, String requestId) {
        if (e.isHostException() && e.asHostException() instanceof ProblemException problem) {
            return problem;
        }
        if (e.isCancelled() || e.isResourceExhausted()) {
            meters.timeouts().increment();
            String what = e.isResourceExhausted() && e.getMessage() != null && e.getMessage().contains("Statement")
                    ? "its statement limit" : "its " + timeoutMillis + " ms";
            LOG.log(System.Logger.Level.WARNING, "request " + requestId + ": " + name + " was stopped: it ran past " + what);
            return new ProblemException(errorStatus, "SCRIPT_TIMEOUT", "Script Stopped",
                    "the filter script " + name + " was stopped: it ran past " + what);
        }
        SourceSection at = location(e);
        String where = at == null ? name : name + ":" + at.getStartLine() + ":" + at.getStartColumn();
        meters.errors().increment();
        LOG.log(System.Logger.Level.WARNING, "request " + requestId + ": " + where + ": " + e.getMessage());
        return new ProblemException(errorStatus, "SCRIPT_ERROR", "Script Failed",
                "the filter script " + name + " failed at line " + (at == null ? "?" : at.getStartLine())
                        + "; the gateway's log has the details under this request id");
    }

    /** Where in the user's script it failed: the error's own location, else the script's innermost frame. */
    private static SourceSection location(PolyglotException e) {
        SourceSection at = e.getSourceLocation();
        if (at != null && !at.getSource().getName().startsWith("portico-")) {
            return at;
        }
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection section = frame.getSourceLocation();
            if (frame.isGuestFrame() && section != null && !section.getSource().getName().startsWith("portico-")) {
                return section;
            }
        }
        return null;
    }

    private ProblemException failed(String what, String requestId) {
        meters.errors().increment();
        LOG.log(System.Logger.Level.WARNING, "request " + requestId + ": " + name + " " + what);
        return new ProblemException(errorStatus, "SCRIPT_ERROR", "Script Failed", "the filter script " + name + " " + what);
    }

    private void log(JsonNode logs, String requestId) {
        for (JsonNode line : logs) {
            String level = line.path(0).asText();
            System.Logger.Level mapped = switch (level) {
                case "error" -> System.Logger.Level.ERROR;
                case "warn" -> System.Logger.Level.WARNING;
                case "debug" -> System.Logger.Level.DEBUG;
                default -> System.Logger.Level.INFO;
            };
            LOG.log(mapped, name + " [" + requestId + "] " + line.path(1).asText());
        }
    }

    private Response answer(JsonNode respond, String requestId) {
        if (respond.isMissingNode() || respond.isNull()) {
            return null;
        }
        int status = respond.path("status").asInt(-1);
        if (!respond.path("status").isInt() || status < 100 || status > 599) {
            throw failed("called respond() with the status " + respond.path("status") + ", not 100 to 599", requestId);
        }
        Headers headers = headers(respond.path("headers"), requestId);
        JsonNode body = respond.path("body");
        if (body.isTextual() && !headers.contains("Content-Type")) {
            headers = headers.with("Content-Type", "text/plain; charset=utf-8");
        }
        return new Response(status, headers, body.isTextual() ? Body.of(body.asText()) : Body.empty());
    }

    private Headers headers(JsonNode list, String requestId) {
        if (list.size() > MAX_HEADERS) {
            throw failed("set more than " + MAX_HEADERS + " headers", requestId);
        }
        Headers.Builder headers = Headers.builder();
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            JsonNode pair = it.next();
            try {
                headers.add(pair.path(0).asText(), pair.path(1).asText());
            } catch (IllegalArgumentException e) {
                throw failed("set a header that is not valid: " + e.getMessage(), requestId);
            }
        }
        return headers.build();
    }

    /** Headers as a script reads them: made into one text only when it does. */
    private static ProxyExecutable flat(Headers headers) {
        return arguments -> ScriptData.flat(headers);
    }

    /**
     * The headers after the changes a script made, sent as "kind\nname\nvalue" each (see the
     * prelude): S sets, A adds, R removes.
     */
    private Headers changed(Headers headers, String changes, String requestId) {
        String[] parts = changes.split("\n", -1);
        if (parts.length % 3 != 0 || parts.length / 3 > MAX_HEADER_CHANGES) {
            throw failed("changed headers in a way the gateway cannot use", requestId);
        }
        Headers.Builder changed = headers.toBuilder();
        try {
            for (int i = 0; i < parts.length; i += 3) {
                switch (parts[i]) {
                    case "S" -> changed.set(parts[i + 1], parts[i + 2]);
                    case "A" -> changed.add(parts[i + 1], parts[i + 2]);
                    case "R" -> changed.remove(parts[i + 1]);
                    default -> throw failed("changed headers in a way the gateway cannot use", requestId);
                }
            }
        } catch (IllegalArgumentException e) {
            throw failed("set a header that is not valid: " + e.getMessage(), requestId);
        }
        Headers result = changed.build();
        if (result.size() > MAX_HEADERS) {
            throw failed("set more than " + MAX_HEADERS + " headers", requestId);
        }
        return result;
    }

    private static ScriptAttributes attributes(Exchange exchange) {
        ScriptAttributes attributes = exchange.attribute(ATTRIBUTES).orElse(null);
        if (attributes == null) {
            attributes = new ScriptAttributes();
            exchange.setAttribute(ATTRIBUTES, attributes);
        }
        return attributes;
    }

    /** {@code body.text()} in a script: the body read once, up to the bound, kept for the upstream. */
    private final class BodyReader implements ProxyExecutable {
        private final Body body;
        private byte[] read;

        BodyReader(Body body) {
            this.body = body;
        }

        @Override
        public Object execute(Value... arguments) {
            if (read == null) {
                try {
                    read = body.limit(maxBodySize).bytes();
                } catch (ProblemException e) {
                    throw e;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (RuntimeException e) {
                    throw new ProblemException(413, "BODY_TOO_LARGE", "Content Too Large",
                            "the filter script " + name + " reads bodies of at most " + maxBodySize + " bytes");
                }
            }
            return new String(read, StandardCharsets.UTF_8);
        }

        /** The body to pass on: the bytes read, when the script read it, else the untouched original. */
        Body consumed(Body original) {
            return read == null ? original : Body.of(read);
        }
    }

}
