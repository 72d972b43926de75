package org.ndis4j.tools.config;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where each key and array element of a JSON text is: JSON Pointer → line and column, so that a
 * value found wrong after binding can be reported where it was written. One streaming pass.
 */
final class JsonLocations {

    /** A 1-based line and column. */
    record Location(int line, int column) {}

    private final Map<String, Location> byPointer;

    private JsonLocations(Map<String, Location> byPointer) {
        this.byPointer = byPointer;
    }

    /** Locates every key and element; throws Jackson's exception on a syntax error. */
    static JsonLocations of(JsonMapper mapper, String text) {
        Map<String, Location> found = new HashMap<>();
        try (JsonParser p = mapper.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                TokenStreamContext context = p.streamReadContext();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    context = context.getParent();
                }
                boolean element =
                        context != null && context.inArray() && t != JsonToken.END_ARRAY && t != JsonToken.END_OBJECT;
                if (t == JsonToken.PROPERTY_NAME || element) {
                    TokenStreamLocation at = p.currentTokenLocation();
                    found.putIfAbsent(
                            context.pathAsPointer().toString(), new Location(at.getLineNr(), at.getColumnNr()));
                }
            }
        }
        return new JsonLocations(found);
    }

    /** Where {@code pointer} (or its nearest located parent) was written; line 1 column 1 at worst. */
    Location of(JsonPointer pointer) {
        for (JsonPointer p = pointer; p != null; p = p.head()) {
            Location l = byPointer.get(p.toString());
            if (l != null) {
                return l;
            }
        }
        return new Location(1, 1);
    }
}
