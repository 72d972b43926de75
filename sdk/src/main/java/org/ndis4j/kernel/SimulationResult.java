package org.ndis4j.kernel;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a deterministic run ended.
 *
 * @param passed no failure of the run or the test
 * @param failure the run's failure (a deadlock report, a replay divergence) or the test's, or null
 * @param seed the iteration's seed
 * @param steps scheduling steps taken
 * @param choiceSteps steps where more than one context could run (the trace's lines)
 * @param virtualNanos the virtual clock at the end
 * @param eventLogSha256 the SHA-256 of the event log: equal for equal schedules and outcomes
 * @param trace the trace file written, or null
 * @param eventLog the event log file written, or null
 */
public record SimulationResult(
        boolean passed,
        String failure,
        long seed,
        long steps,
        long choiceSteps,
        long virtualNanos,
        String eventLogSha256,
        Path trace,
        Path eventLog) {

    public Optional<Path> tracePath() {
        return Optional.ofNullable(trace);
    }
}
