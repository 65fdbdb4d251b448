package io.portico.plugins.cache;

import io.portico.api.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The stored variants of one resource: the request headers its {@code Vary} names (lower case,
 * sorted), and one response per combination of their values. Immutable: every change is a copy.
 */
record Variants(List<String> names, List<StoredResponse> responses) {
    /** More variants than this for one resource push out the oldest: a bound on hostile {@code Accept} values. */
    static final int MAX_VARIANTS = 16;
    private static final String ABSENT = "\u0000";

    Variants {
        names = List.copyOf(names);
        responses = List.copyOf(responses);
    }

    /** The variant stored for a request with these headers, or {@code null}. */
    StoredResponse match(Headers requestHeaders) {
        List<String> wanted = valuesOf(names, requestHeaders);
        for (StoredResponse response : responses) {
            if (response.varyValues().equals(wanted)) {
                return response;
            }
        }
        return null;
    }

    /**
     * These variants with {@code response} added or replacing the one with equal values. When the
     * names differ from the stored ones, the upstream changed its {@code Vary}: only the new one stays.
     */
    Variants with(List<String> responseNames, StoredResponse response) {
        if (!responseNames.equals(names)) {
            return new Variants(responseNames, List.of(response));
        }
        List<StoredResponse> kept = new ArrayList<>(responses.size() + 1);
        for (StoredResponse existing : responses) {
            if (!existing.varyValues().equals(response.varyValues())) {
                kept.add(existing);
            }
        }
        if (kept.size() >= MAX_VARIANTS) {
            kept.removeFirst();
        }
        kept.add(response);
        return new Variants(names, kept);
    }

    /** These variants without {@code response}; {@code null} when none is left. */
    Variants without(StoredResponse response) {
        List<StoredResponse> kept = new ArrayList<>(responses);
        kept.remove(response);
        return kept.isEmpty() ? null : new Variants(names, kept);
    }

    long weight() {
        long weight = 64;
        for (StoredResponse response : responses) {
            weight += response.weight();
        }
        return weight;
    }

    /** The header names a response's {@code Vary} lists: lower case, sorted, without duplicates. */
    static List<String> namesOf(List<String> varyValues) {
        List<String> names = new ArrayList<>();
        for (String value : varyValues) {
            for (String name : value.split(",")) {
                String trimmed = name.strip().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty() && !names.contains(trimmed)) {
                    names.add(trimmed);
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** The request's values for {@code names}: every field of a name joined, or a marker when absent. */
    static List<String> valuesOf(List<String> names, Headers requestHeaders) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<String> values = new ArrayList<>(names.size());
        for (String name : names) {
            List<String> all = requestHeaders.all(name);
            values.add(all.isEmpty() ? ABSENT : Objects.requireNonNull(String.join(",", all)).strip());
        }
        return values;
    }
}
