package io.portico.plugins.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The counters one configuration counts in: its namespace, algorithm and windows. The id is the
 * same on every gateway given the same configuration, so gateways sharing a Redis share counters;
 * changing a limit changes the id, so old counters (kept with other units) are never misread.
 *
 * @param id        {@code namespace:fingerprint}
 * @param algorithm how requests are counted
 * @param windows   the windows, in configuration order
 */
record CounterSpace(String id, RateLimitConfig.Algorithm algorithm, List<Window> windows) {

    static CounterSpace of(RateLimitConfig config) {
        List<Window> windows = config.limits().stream().map(Window::of).toList();
        String described = config.algorithm() + ";" + windows.stream()
                .map(w -> w.requests() + "/" + w.periodNanos() + "/" + w.burst()).collect(Collectors.joining(","));
        return new CounterSpace(config.namespace() + ":" + fingerprint(described), config.algorithm(), windows);
    }

    Window window(int index) {
        return windows.get(index);
    }

    private static String fingerprint(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
