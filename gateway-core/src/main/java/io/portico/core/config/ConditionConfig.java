package io.portico.core.config;

import io.portico.api.InvalidConfigException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A condition on a header or query parameter: exactly one of the three.
 *
 * @param equals  the value must be exactly this
 * @param regex   the value must match this regular expression (whole value)
 * @param present true: it must be there; false: it must be absent
 */
public record ConditionConfig(String equals, String regex, Boolean present) {

    public ConditionConfig {
        int set = (equals != null ? 1 : 0) + (regex != null ? 1 : 0) + (present != null ? 1 : 0);
        InvalidConfigException.require(set == 1, "equals", "set exactly one of equals, regex or present");
        if (regex != null) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new InvalidConfigException("regex", "is not a valid regular expression: " + e.getDescription());
            }
        }
    }
}
