package org.ndis4j.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.kernel.ExplorationStrategy;
import org.ndis4j.kernel.Granularity;
import org.ndis4j.kernel.HangPolicy;

/**
 * Runs the test once per iteration under a fresh deterministic run: every {@code Kernel} parameter
 * is a kernel on the run's controlled scheduler and virtual clock ({@link KernelOptions} applies as
 * usual), the body and its {@code @BeforeEach}/{@code @AfterEach} methods run on the run's test
 * context, and each iteration's seed derives from the master seed. The first failing iteration ends
 * the test; its message names the iteration, the seed, the trace and event log written under
 * {@code target/ndis4j-det/} and the command that replays it.
 *
 * <pre>
 *   &#64;DeterministicTest(iterations = 200, seed = "0x2a")
 *   void haltWaitsForTheWorkItem(Kernel kernel) { ... }
 * </pre>
 *
 * System properties override the attributes: {@code ndis4j.det.seed}, {@code ndis4j.det.iterations},
 * {@code ndis4j.det.strategy}, {@code ndis4j.det.maxSteps}, and {@code ndis4j.det.replay} (a trace
 * to replay instead, see {@link Replay}). See docs/deterministic.md.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith(KernelExtension.class)
public @interface DeterministicTest {

    /** How many runs, each with its own seed. */
    int iterations() default 100;

    ExplorationStrategy strategy() default ExplorationStrategy.RANDOM;

    /** The depth of a depth-bounded strategy (PCT); the random walk ignores it. */
    int depth() default 2;

    /** The master seed in hex ("0x2a"); empty: a fresh one, printed with any failure. */
    String seed() default "";

    /** A run longer than this many steps fails (a livelock). */
    long maxSteps() default 100_000;

    Granularity granularity() default Granularity.NDIS_CALL;

    /** What a run does when only watchdog deadlines are pending. */
    HangPolicy hangs() default HangPolicy.REPORT_DEADLOCK;
}
