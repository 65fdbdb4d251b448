package io.portico.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

/** A field made by KnownFields knows its header exactly when Jetty's own constructor would. */
class KnownFieldsTest {

    @Test
    void everyHeaderOfJettysIsKnownInAnyCase() {
        for (HttpHeader header : HttpHeader.values()) {
            String name = header.asString();
            for (String spelled : new String[] {name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)}) {
                HttpField field = KnownFields.of(spelled, "v");
                assertEquals(new HttpField(spelled, "v").getHeader(), field.getHeader(), spelled);
                assertEquals(spelled, field.getName());
                assertEquals("v", field.getValue());
            }
        }
    }

    @Test
    void otherNamesAreKeptAsTheyAreWithNoHeader() {
        for (String name : new String[] {"RateLimit-Remaining", "X-Request-Id", "x-ratelimit-limit", "X-Trail", "Z", "7up"}) {
            HttpField field = KnownFields.of(name, "1");
            assertNull(field.getHeader(), name);
            assertEquals(new HttpField(name, "1").getHeader(), field.getHeader(), name);
            assertEquals(name, field.getName());
            assertEquals("1", field.getValue());
        }
    }
}
