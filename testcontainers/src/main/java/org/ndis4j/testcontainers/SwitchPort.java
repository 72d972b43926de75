package org.ndis4j.testcontainers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One port of a switch as its control endpoint reports it ({@code GET /ports/{n}}): whether it is
 * administratively up and connected, who is plugged in, its counters, drops by cause and errors by
 * kind (every cause present, zero included, lowercase: {@code backpressure}, {@code admin_down}...).
 *
 * @param peer the address of the connection on this port, null when none
 */
public record SwitchPort(
        int number,
        boolean adminUp,
        boolean connected,
        String peer,
        long rxFrames,
        long rxBytes,
        long txFrames,
        long txBytes,
        Map<String, Long> drops,
        Map<String, Long> errors) {

    static SwitchPort of(JsonNode port) {
        return new SwitchPort(
                port.path("number").asInt(),
                port.path("adminUp").asBoolean(),
                port.path("connected").asBoolean(),
                port.path("peer").isNull() ? null : port.path("peer").asString(null),
                port.path("rx").path("frames").asLong(),
                port.path("rx").path("bytes").asLong(),
                port.path("tx").path("frames").asLong(),
                port.path("tx").path("bytes").asLong(),
                counts(port.path("drops")),
                counts(port.path("errors")));
    }

    private static Map<String, Long> counts(JsonNode object) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            m.put(e.getKey(), e.getValue().asLong());
        }
        return Collections.unmodifiableMap(m);
    }

    /** Frames dropped on this port, every cause together. */
    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }
}
