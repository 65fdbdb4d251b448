package io.portico.core.proxy;

import java.util.Arrays;
import org.eclipse.jetty.http.HttpField;

/**
 * The fields of a connection's earlier answers, by their place in the head. An upstream sends
 * mostly the same lines every time (its server's name, the content type, keep-alive, a date that
 * changes once a second), so a line that repeats byte for byte gives back the field made for it
 * before, instead of two new strings and a field for every line of every answer. Only the first
 * few places and short lines are kept, so a connection holds well under a kilobyte for them.
 */
final class RepeatedFields {
    private static final int PLACES = 8;
    private static final int LONGEST_LINE = 96;

    private HttpField[] fields;
    private byte[][] lines;

    /** The field made before for the same line (its name to its value's end) in this place, or null. */
    HttpField get(int place, byte[] bytes, int start, int end) {
        if (fields == null || place >= PLACES) {
            return null;
        }
        byte[] line = lines[place];
        return line != null && Arrays.equals(bytes, start, end, line, 0, line.length) ? fields[place] : null;
    }

    /** Remembers the field made for this line in this place. */
    void put(int place, byte[] bytes, int start, int end, HttpField field) {
        if (place >= PLACES || end - start > LONGEST_LINE) {
            return;
        }
        if (fields == null) {
            fields = new HttpField[PLACES];
            lines = new byte[PLACES][];
        }
        fields[place] = field;
        lines[place] = Arrays.copyOfRange(bytes, start, end);
    }
}
