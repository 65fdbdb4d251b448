package io.portico.plugins.ratelimit;

import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Sends requests to a gateway, one at a time or many at once, and tallies the statuses. */
final class Calls {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final TestGateway gateway;

    Calls(TestGateway gateway) {
        this.gateway = gateway;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code count} requests released together from as many virtual threads; statuses counted. */
    Map<Integer, Integer> concurrently(int count, String path, String... headers) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return get(path, headers).statusCode();
                    } catch (Exception e) {
                        return -1;
                    }
                }, threads));
            }
            start.countDown();
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<Integer> answer : answers) {
            statuses.merge(answer.join(), 1, Integer::sum);
        }
        return statuses;
    }
}
