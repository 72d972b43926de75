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
 * @param strategy the strategy as the trace's header describes it, with what it drew from the seed
 *     ("pct(d=2,k=41,changes=[23],fairAfter=1000)")
 * @param fairFallback the fair fallback's random walk took over (a spin loop kept one context on
 *     top): such a run's length says nothing about the schedule, so PCT does not learn k from it
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
        Path eventLog,
        String strategy,
        boolean fairFallback) {

    public Optional<Path> tracePath() {
        return Optional.ofNullable(trace);
    }
}
