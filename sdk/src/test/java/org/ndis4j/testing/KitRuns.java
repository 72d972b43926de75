package org.ndis4j.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * Runs a test class of the kit's own tests — one that fails on purpose — through JUnit's engine, as
 * Surefire would, and reads how its tests ended.
 */
final class KitRuns {

    private KitRuns() {}

    /** Runs every test of {@code testClass} (a static nested class, which Surefire itself skips). */
    static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .execute();
    }

    /** The failures of the tests that failed, in order. */
    static List<Throwable> failures(EngineExecutionResults results) {
        return results.testEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class)
                        .getThrowable()
                        .orElseThrow())
                .toList();
    }

    /** The only failure of the run: there must be exactly one failed test. */
    static Throwable onlyFailure(EngineExecutionResults results) {
        List<Throwable> failures = failures(results);
        if (failures.size() != 1) {
            throw new AssertionError("expected exactly one failed test, got " + failures.size() + ": " + failures + "\n"
                    + results.testEvents().list());
        }
        return failures.get(0);
    }

    /** When the first test of the run finished. */
    static Instant firstTestEnd(EngineExecutionResults results) {
        return results.testEvents().list().stream()
                .filter(e -> e.getType() == EventType.FINISHED)
                .findFirst()
                .orElseThrow()
                .getTimestamp();
    }

    /** How long the first test of the run took, start to finish (reported, never asserted). */
    static Duration firstTestDuration(EngineExecutionResults results) {
        List<Event> events = results.testEvents().list();
        Event started = events.stream()
                .filter(e -> e.getType() == EventType.STARTED)
                .findFirst()
                .orElseThrow();
        Event finished = events.stream()
                .filter(e -> e.getType() == EventType.FINISHED
                        && e.getTestDescriptor()
                                .getUniqueId()
                                .equals(started.getTestDescriptor().getUniqueId()))
                .findFirst()
                .orElseThrow();
        return Duration.between(started.getTimestamp(), finished.getTimestamp());
    }
}
