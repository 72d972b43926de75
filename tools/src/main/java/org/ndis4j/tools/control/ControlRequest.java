package org.ndis4j.tools.control;

import java.util.Map;

/**
 * One request as a handler sees it: the path parameters its route pattern named ({@code {n}} in
 * {@code /ports/{n}}), the query parameters, and the body (UTF-8 text, empty when there is none).
 */
public record ControlRequest(String method, String path, Map<String, String> parameters, String body) {

    /** The parameter {@code name} (from the path, else the query), or a 400 when it is missing. */
    public String parameter(String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw ControlException.badRequest("missing parameter '" + name + "'");
        }
        return value;
    }

    /** The parameter {@code name} as an int in {@code min..max}, or a 400 that says what was wrong. */
    public int intParameter(String name, int min, int max) {
        String value = parameter(name);
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ControlException.badRequest(name + " must be a number in " + min + ".." + max + ", not '" + value + "'");
    }
}
