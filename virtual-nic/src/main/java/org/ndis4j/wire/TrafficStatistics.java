package org.ndis4j.wire;

import java.util.Map;

/**
 * A snapshot of {@link TrafficCounters}: frames and bytes each way, frames dropped by reason, and
 * broken streams by error (each error closed one connection).
 */
public record TrafficStatistics(
        long rxFrames,
        long rxBytes,
        long txFrames,
        long txBytes,
        Map<DropReason, Long> drops,
        Map<FrameError, Long> errors) {

    public long drops(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    public long errors(FrameError error) {
        return errors.getOrDefault(error, 0L);
    }

    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line for logs and the CLI: only the non-zero drops and errors are listed. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder()
                .append("rx ")
                .append(rxFrames)
                .append(" frames/")
                .append(rxBytes)
                .append(" B, ")
                .append("tx ")
                .append(txFrames)
                .append(" frames/")
                .append(txBytes)
                .append(" B");
        drops.entrySet().stream()
                .filter(e -> e.getValue() != 0)
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(", drop ")
                        .append(e.getKey().name().toLowerCase())
                        .append(' ')
                        .append(e.getValue()));
        errors.entrySet().stream()
                .filter(e -> e.getValue() != 0)
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(", error ")
                        .append(e.getKey().name().toLowerCase())
                        .append(' ')
                        .append(e.getValue()));
        return sb.toString();
    }
}
