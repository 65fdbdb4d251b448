package io.portico.plugins.cache;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** HTTP dates (RFC 9110 section 5.6.7) as the cache reads and writes them. */
final class HttpDates {
    private HttpDates() {
    }

    /** The instant, or {@code null} when absent or not a valid date (an invalid {@code Expires} means "already expired"). */
    static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
