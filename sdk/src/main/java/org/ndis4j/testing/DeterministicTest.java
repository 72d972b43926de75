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
 * System properties override the attributes: {@code ndis4j.det.seed} (hex, or a failure's seed token
 * such as {@code pct(d=2,k=41)/0x2a}, which also sets the strategy), {@code ndis4j.det.iterations},
 * {@code ndis4j.det.strategy} (a token: {@code pct}, {@code pct(d=3)}, {@code probabilistic(b=2)},
 * {@code random}), {@code ndis4j.det.maxSteps}, {@code ndis4j.det.faults}, {@code
 * ndis4j.det.faultRate}, and {@code ndis4j.det.replay} (a trace to replay instead, see {@link
 * Replay}). See docs/deterministic.md.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith(KernelExtension.class)
public @interface DeterministicTest {

    /** How many runs, each with its own seed. */
    int iterations() default 100;

    /**
     * How each iteration picks among the contexts that may run: the random walk, PCT (with {@link
     * #depth}; its change points spread over the longest schedule of the earlier iterations) or the
     * sticky probabilistic walk (with {@link #bias}). PCT and the probabilistic walk hand over to the
     * random walk after max(1,000, 10·k) choice steps of one iteration.
     */
    ExplorationStrategy strategy() default ExplorationStrategy.RANDOM;

    /** The depth of a depth-bounded strategy (PCT: depth − 1 change points); the others ignore it. */
    int depth() default 2;

    /** The probabilistic strategy's b: it switches away from the running context with probability 2^−b. */
    int bias() default 3;

    /**
     * Seeded faults from each iteration's seed: failed allocations where the WDK lets them fail, late
     * timers, oversleeps, delayed work items. The rate per decision is {@code ndis4j.det.faultRate}
     * (default 0.05).
     */
    boolean faults() default false;

    /** The master seed in hex ("0x2a"); empty: a fresh one, printed with any failure. */
    String seed() default "";

    /** A run longer than this many steps fails (a livelock). */
    long maxSteps() default 100_000;

    Granularity granularity() default Granularity.NDIS_CALL;

    /** What a run does when only watchdog deadlines are pending. */
    HangPolicy hangs() default HangPolicy.REPORT_DEADLOCK;
}
