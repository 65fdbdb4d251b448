package io.portico.core.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one pool: a GET to each target at the interval, through the gateway's
 * client, never blocking the scheduler's thread. Counted against the thresholds by the target.
 */
final class HealthChecks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private volatile boolean closed;

    HealthChecks(String upstream, List<Target> targets, HealthCheckSpec check, HttpClient client,
                 ScheduledExecutorService scheduler) {
        for (Target target : targets) {
            long interval = check.interval().toMillis();
            tasks.add(scheduler.scheduleWithFixedDelay(() -> probe(upstream, target, check, client), 0, interval,
                    TimeUnit.MILLISECONDS));
        }
    }

    private void probe(String upstream, Target target, HealthCheckSpec check, HttpClient client) {
        if (closed) {
            return;
        }
        try {
            client.newRequest(target.spec().host(), target.spec().port())
                    .scheme(target.spec().scheme())
                    .path(check.path())
                    .timeout(check.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .headers(headers -> headers.put("User-Agent", "portico-health-check"))
                    .send(result -> {
                        if (closed) {
                            return;
                        }
                        int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
                        boolean success = !result.isFailed() && status >= check.expectedStatusFrom()
                                && status <= check.expectedStatusTo();
                        boolean wasHealthy = target.isHealthy();
                        target.checked(success, check);
                        if (wasHealthy != target.isHealthy()) {
                            LOG.warn("upstream {} target {} is now {}", upstream, target.address(),
                                    target.isHealthy() ? "healthy" : "unhealthy" + (result.isFailed()
                                            ? " (" + result.getFailure() + ")" : " (status " + status + ")"));
                        }
                    });
        } catch (RuntimeException e) {
            target.checked(false, check);
        }
    }

    @Override
    public void close() {
        closed = true;
        tasks.forEach(task -> task.cancel(false));
    }
}
