package io.portico.core.proxy;

import io.portico.api.Headers;

/** Reads one cookie's value from {@code Cookie} fields without parsing the rest. */
final class Cookies {
    private Cookies() {
    }

    static String value(Headers headers, String name) {
        for (String field : headers.all("Cookie")) {
            int start = 0;
            while (start < field.length()) {
                int end = field.indexOf(';', start);
                if (end < 0) {
                    end = field.length();
                }
                int equals = field.indexOf('=', start);
                if (equals > 0 && equals < end && field.substring(start, equals).strip().equals(name)) {
                    return field.substring(equals + 1, end).strip();
                }
                start = end + 1;
            }
        }
        return null;
    }
}
