package io.portico.plugins.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portico.api.Body;
import io.portico.api.Exchange;
import io.portico.api.Headers;
import io.portico.api.HttpCalls;
import io.portico.api.NonBlockingFilter;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Starts every part whose URL needs no other part at once, each dependent part as soon as the parts
 * it needs have answered, and answers when all are done: the time is that of the slowest chain of
 * parts, not the sum. Nothing here holds a thread.
 */
final class AggregateFilter implements NonBlockingFilter {
    static final String MISSING_HEADER = "X-Aggregate-Missing";

    private final List<PartPlan> plans;
    private final AggregateFactory.Merge merge;
    private final boolean nullForMissing;
    private final List<String> forwardHeaders;
    private final HttpCalls http;
    private final ObjectMapper json = new ObjectMapper();

    AggregateFilter(List<PartPlan> plans, AggregateFactory.Config config, HttpCalls http) {
        this.plans = plans;
        this.merge = config.merge();
        this.nullForMissing = config.onMissing() == AggregateFactory.OnMissing.NULL;
        this.forwardHeaders = List.copyOf(config.forwardHeaders());
        this.http = http;
    }

    /** What one part came to: its JSON answer, or why there is none and the status that failure means. */
    private record Outcome(JsonNode answer, String why, int status) {
        static Outcome failed(String why, int status) {
            return new Outcome(null, why, status);
        }
    }

    @Override
    public CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain) {
        Map<String, CompletableFuture<Outcome>> started = new LinkedHashMap<>();
        for (PartPlan plan : plans) {
            List<CompletableFuture<Outcome>> needed = plan.url().needs().stream().map(started::get).toList();
            CompletableFuture<Outcome> outcome = CompletableFuture.allOf(needed.toArray(CompletableFuture[]::new))
                    .thenCompose(ready -> call(plan, exchange, answersOf(plan, started)));
            started.put(plan.part().name(), outcome);
        }
        return CompletableFuture.allOf(started.values().toArray(CompletableFuture[]::new))
                .thenApply(done -> compose(started));
    }

    private static Map<String, JsonNode> answersOf(PartPlan plan, Map<String, CompletableFuture<Outcome>> started) {
        Map<String, JsonNode> answers = new HashMap<>();
        for (String name : plan.url().needs()) {
            Outcome outcome = started.get(name).join();
            answers.put(name, outcome.answer());
        }
        return answers;
    }

    private CompletableFuture<Outcome> call(PartPlan plan, Exchange exchange, Map<String, JsonNode> answers) {
        for (Map.Entry<String, JsonNode> answer : answers.entrySet()) {
            if (answer.getValue() == null) {
                return CompletableFuture.completedFuture(Outcome.failed("it needs part '" + answer.getKey()
                        + "', which failed", 502));
            }
        }
        String pathAndQuery = plan.url().expand(exchange, answers);
        if (pathAndQuery == null) {
            return CompletableFuture.completedFuture(Outcome.failed("a value its URL needs is missing", 502));
        }
        int question = pathAndQuery.indexOf('?');
        Request request = Request.of(plan.part().method(), question < 0 ? pathAndQuery : pathAndQuery.substring(0, question))
                .withQuery(question < 0 ? null : pathAndQuery.substring(question + 1))
                .withHeaders(forwarded(exchange));
        CompletableFuture<Response> sent;
        try {
            sent = http.send(plan.url().target(), request, plan.part().timeout());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof ProblemException problem) {
                    return Outcome.failed(problem.status() == 504 ? "it timed out after " + plan.part().timeout().toMillis()
                            + " ms" : problem.detail(), problem.status() == 504 ? 504 : 502);
                }
                return Outcome.failed(String.valueOf(cause.getMessage()), 502);
            }
            if (response.status() < 200 || response.status() > 299) {
                return Outcome.failed("it answered " + response.status(), 502);
            }
            try {
                byte[] body = response.body().bytes();
                return new Outcome(body.length == 0 ? json.nullNode() : json.readTree(body), null, 200);
            } catch (IOException e) {
                return Outcome.failed("its answer is not JSON", 502);
            }
        });
    }

    private Headers forwarded(Exchange exchange) {
        Headers.Builder headers = Headers.builder().set("Accept", "application/json")
                .set("X-Request-Id", exchange.requestId());
        for (String name : forwardHeaders) {
            for (String value : exchange.request().headers().all(name)) {
                headers.add(name, value);
            }
        }
        return headers.build();
    }

    private Response compose(Map<String, CompletableFuture<Outcome>> started) {
        ObjectNode document = json.createObjectNode();
        List<String> missing = new ArrayList<>();
        for (PartPlan plan : plans) {
            String name = plan.part().name();
            Outcome outcome = started.get(name).join();
            if (outcome.answer() == null) {
                if (plan.part().required()) {
                    throw new ProblemException(outcome.status(), outcome.status() == 504 ? "PART_TIMEOUT" : "PART_FAILED",
                            outcome.status() == 504 ? "Gateway Timeout" : "Bad Gateway",
                            "the required part '" + name + "' failed: " + outcome.why());
                }
                missing.add(name);
                if (nullForMissing && merge == AggregateFactory.Merge.KEYS) {
                    document.putNull(name);
                }
            } else if (merge == AggregateFactory.Merge.KEYS) {
                document.set(name, outcome.answer());
            } else if (outcome.answer() instanceof ObjectNode object) {
                deepMerge(document, object);
            } else {
                document.set(name, outcome.answer());
            }
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
        Headers.Builder headers = Headers.builder().set("Content-Type", "application/json");
        if (!missing.isEmpty()) {
            headers.set(MISSING_HEADER, String.join(",", missing));
        }
        return new Response(200, headers.build(), Body.of(body));
    }

    private static void deepMerge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(field -> {
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode target && field.getValue() instanceof ObjectNode source) {
                deepMerge(target, source);
            } else {
                into.set(field.getKey(), field.getValue());
            }
        });
    }
}
