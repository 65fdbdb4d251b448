package io.portico.core.proxy;

import io.portico.api.ProblemException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/** Turns what went wrong on the way to an upstream into the problem the client gets. */
final class UpstreamFailures {
    private UpstreamFailures() {
    }

    static ProblemException toProblem(Throwable failure, String upstream) {
        Throwable cause = failure;
        for (int depth = 0; depth < 8 && cause != null; depth++) {
            if (cause instanceof ProblemException problem) {
                // a filter's body wrapper refused the content while it was being forwarded
                return problem;
            }
            if (cause instanceof LimitedSource.BodyTooLargeException) {
                return new ProblemException(413, "BODY_TOO_LARGE", "Content Too Large", cause.getMessage());
            }
            if (cause instanceof ClientGone.ClientGoneException) {
                // nginx's status for it: nobody reads this answer, the access log does
                return new ProblemException(499, "CLIENT_CLOSED", "Client Closed Request", cause.getMessage())
                        .withCause(failure);
            }
            if (cause instanceof LimitedSource.ClientBodyException && cause.getCause() instanceof TimeoutException) {
                // the client's connection was idle for longer than server.limits.idle-timeout mid-body
                return new ProblemException(408, "BODY_TIMEOUT", "Request Timeout",
                        "the request body stalled for longer than the idle timeout").withCause(failure);
            }
            if (cause instanceof LimitedSource.ClientBodyException) {
                return new ProblemException(400, "BODY_INCOMPLETE", "Bad Request",
                        "the request body broke off before its end").withCause(failure);
            }
            if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
                return new ProblemException(504, "UPSTREAM_TIMEOUT", "Gateway Timeout",
                        "upstream '" + upstream + "' did not answer in time").withCause(failure);
            }
            if (cause instanceof ConnectException) {
                return new ProblemException(502, "UPSTREAM_UNREACHABLE", "Bad Gateway",
                        "upstream '" + upstream + "' refused the connection").withCause(failure);
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                // the log line of the answer carries the cause: which certificate or name failed
                return new ProblemException(502, "UPSTREAM_TLS_FAILED", "Bad Gateway",
                        "upstream '" + upstream + "' failed the TLS handshake: " + cause.getClass().getSimpleName())
                        .withCause(failure);
            }
            if (cause instanceof EOFException || cause instanceof ClosedChannelException) {
                return new ProblemException(502, "UPSTREAM_CLOSED", "Bad Gateway",
                        "upstream '" + upstream + "' closed the connection before answering").withCause(failure);
            }
            cause = cause.getCause();
        }
        return new ProblemException(502, "UPSTREAM_FAILED", "Bad Gateway",
                "upstream '" + upstream + "' failed: " + failure.getClass().getSimpleName()).withCause(failure);
    }

    /**
     * What an upstream's failure in the middle of its answer's body is, for a client that has none
     * of it yet (Jetty's error handling then answers it, which knows the request's id only from
     * the problem): the problem, inside an {@link IOException}, which is what readers of a body
     * (filters among them) expect a failed read to throw.
     */
    static IOException brokeOff(Throwable failure, String upstream, String requestId) {
        ProblemException problem;
        if (clientsFault(failure)) {
            // the upstream answered early, and then the client's body broke off or grew too large
            problem = toProblem(failure, upstream);
        } else if (failure instanceof TimeoutException || failure instanceof SocketTimeoutException) {
            problem = new ProblemException(504, "UPSTREAM_TIMEOUT", "Gateway Timeout",
                    "upstream '" + upstream + "' did not finish its answer in time");
        } else {
            problem = new ProblemException(502, "UPSTREAM_BROKE_OFF", "Bad Gateway",
                    "upstream '" + upstream + "' broke off its answer");
        }
        if (requestId != null) {
            problem = problem.withHeader(ForwardedHeaders.REQUEST_ID, requestId);
        }
        return new IOException(problem.getMessage(), problem.withCause(failure));
    }

    /**
     * Whether the client's side caused it (its body ended early, passed the route's limit, or the
     * client went away), so the target is not to blame and the request not to be sent again.
     */
    static boolean clientsFault(Throwable failure) {
        return causeOf(failure, LimitedSource.ClientBodyException.class) != null;
    }

    /** The status an upstream answered a WebSocket upgrade with instead of 101, or 0 when it did not answer. */
    static int upgradeRefusedWith(Throwable failure) {
        var upgrade = causeOf(failure, org.eclipse.jetty.websocket.api.exceptions.UpgradeException.class);
        if (upgrade != null) {
            return upgrade.getResponseStatusCode();
        }
        var coreUpgrade = causeOf(failure, org.eclipse.jetty.websocket.core.exception.UpgradeException.class);
        return coreUpgrade == null ? 0 : coreUpgrade.getResponseStatusCode();
    }

    /**
     * The problem for an upgrade the upstream answered without switching: its own status when that
     * was an error (a 401 or 403 says the client may not, a 404 that there is no such socket), 502
     * when it answered as to a plain request.
     */
    static ProblemException upgradeRefused(int status, String upstream) {
        int answered = status >= 400 && status <= 599 ? status : 502;
        return new ProblemException(answered, "UPGRADE_REFUSED", answered == 502 ? "Bad Gateway" : "Upgrade Refused",
                "upstream '" + upstream + "' answered the WebSocket upgrade with " + status);
    }

    /** Whether the request surely never reached the upstream, so any method may be retried. */
    static boolean neverReached(Throwable failure) {
        return causeOf(failure, ConnectException.class) != null;
    }

    /** The first of the failure and its causes (a few deep) that is a {@code type}, or null. */
    private static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        Throwable cause = failure;
        for (int depth = 0; depth < 8 && cause != null; depth++) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            cause = cause.getCause();
        }
        return null;
    }
}
