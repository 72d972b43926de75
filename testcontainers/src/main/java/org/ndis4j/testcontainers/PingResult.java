package org.ndis4j.testcontainers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What {@code POST /ping} of a driver host answered: echo requests its ipstack sent to {@code
 * target}, replies received, and each reply's round trip.
 */
public record PingResult(String target, int transmitted, int received, List<Double> rttMillis) {

    static PingResult of(JsonNode answer) {
        List<Double> rtts = new ArrayList<>();
        answer.path("rttMillis").forEach(r -> rtts.add(r.asDouble()));
        return new PingResult(
                answer.path("target").asString(),
                answer.path("transmitted").asInt(),
                answer.path("received").asInt(),
                Collections.unmodifiableList(rtts));
    }

    /** Every request answered. */
    public boolean allReplied() {
        return transmitted > 0 && received == transmitted;
    }
}
