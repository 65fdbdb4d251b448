package io.portico.core.upstream;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one pool: per target, {@code GET path} sent asynchronously; when it
 * completes the result is counted and the next check is scheduled {@code interval} later, so at
 * most one check per target is under way and a slow target is never checked twice at once.
 * Closing stops every target's loop; a check in flight then completes without effect.
 */
final class HealthChecker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final String upstream;
    private final HealthCheckSpec check;
    private final HttpClient client;
    private final ScheduledExecutorService scheduler;
    private final List<Loop> loops = new ArrayList<>();
    private volatile boolean closed;

    HealthChecker(String upstream, HealthCheckSpec check, List<Target> targets, HttpClient client,
                  ScheduledExecutorService scheduler) {
        this.upstream = upstream;
        this.check = check;
        this.client = client;
        this.scheduler = scheduler;
        for (Target t : targets) {
            loops.add(new Loop(t, URI.create(t.baseUri() + check.path())));
        }
    }

    HealthChecker start() {
        for (Loop loop : loops) {
            loop.schedule(0);
        }
        return this;
    }

    @Override
    public void close() {
        closed = true;
        for (Loop loop : loops) {
            loop.cancel();
        }
    }

    private final class Loop implements Runnable {
        private final Target target;
        private final URI uri;
        private volatile ScheduledFuture<?> next;

        Loop(Target target, URI uri) {
            this.target = target;
            this.uri = uri;
        }

        void schedule(long delayMillis) {
            if (closed) {
                return;
            }
            try {
                next = scheduler.schedule(this, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("upstream {}: scheduler refused the next health check of {}; checks stop",
                        upstream, target.address());
            }
            if (closed) {
                cancel(); // close() may have run between the check above and the assignment
            }
        }

        void cancel() {
            ScheduledFuture<?> f = next;
            if (f != null) {
                f.cancel(false);
            }
        }

        @Override
        public void run() {
            if (closed) {
                return;
            }
            try {
                client.newRequest(uri)
                        .tag(target.tls())
                        .method(HttpMethod.GET)
                        .followRedirects(false)
                        .timeout(check.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .send(this::completed);
            } catch (RuntimeException e) {
                // e.g. the client is stopped: count it as a failed check and keep the loop going
                completed(e);
            }
        }

        private void completed(Result result) {
            if (result.isSucceeded()) {
                int status = result.getResponse().getStatus();
                record(check.isExpected(status), "GET " + check.path() + " answered " + status);
            } else {
                Throwable failure = result.getFailure();
                record(false, "GET " + check.path() + " failed: " + failure);
            }
        }

        private void completed(RuntimeException e) {
            record(false, "GET " + check.path() + " could not be sent: " + e);
        }

        private void record(boolean good, String detail) {
            if (closed) {
                return;
            }
            try {
                target.recordCheck(good, check, detail);
            } finally {
                schedule(check.interval().toMillis());
            }
        }
    }
}
