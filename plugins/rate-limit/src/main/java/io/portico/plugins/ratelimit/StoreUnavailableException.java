package io.portico.plugins.ratelimit;

/** The counters could not be reached: Redis is down, slow, or its circuit is open. */
final class StoreUnavailableException extends Exception {
    StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
