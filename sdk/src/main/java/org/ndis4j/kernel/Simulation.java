package org.ndis4j.kernel;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.controlled.Seeds;
import org.ndis4j.kernel.internal.controlled.StrategySettings;
import org.ndis4j.kernel.internal.controlled.World;
import org.ndis4j.kernel.internal.controlled.WorldRunner;
import org.ndis4j.kernel.internal.controlled.WorldSettings;

/**
 * One deterministic run: every kernel booted inside it (with {@link KernelConfig.Scheduling#DETERMINISTIC})
 * runs under one controlled scheduler, on one virtual clock, every choice drawn from one seed. The
 * test's code runs in steps on the run's test context; between steps nothing runs.
 *
 * <pre>
 *   Simulation sim = Simulation.start(SimulationOptions.seed("my race", 0x2A));
 *   try {
 *       sim.call(() -&gt; {
 *           Kernel k = Kernel.boot(KernelConfig.defaults().withScheduling(Scheduling.DETERMINISTIC));
 *           ... load a driver, add a device, raise interrupts ...
 *           k.close();
 *           return null;
 *       });
 *   } finally {
 *       SimulationResult r = sim.finish(null);   // r.eventLogSha256(): the same for the same seed
 *   }
 * </pre>
 *
 * The test kit's {@code @DeterministicTest} does this per iteration. See docs/deterministic.md.
 */
public final class Simulation {

    private static final List<Simulation> LIVE = new CopyOnWriteArrayList<>();

    private final SimulationOptions options;
    private final WorldRunner runner;
    private final Map<String, Integer> serials = new ConcurrentHashMap<>();

    private Simulation(SimulationOptions options) {
        this.options = options;
        this.runner = new WorldRunner(
                new WorldSettings(
                        options.test(),
                        options.iteration(),
                        options.masterSeed(),
                        options.seed(),
                        options.granularity() == Granularity.DISPATCH_ATOMIC,
                        options.maxSteps(),
                        options.hangs() == HangPolicy.FIRE_WATCHDOGS,
                        SimulationOptions.MAX_VIRTUAL_TIME.toNanos(),
                        options.replay(),
                        strategySettings(options.strategy()),
                        options.faultRate()),
                new ThreadContext(null, ThreadKind.EXTERNAL, -1),
                new ThreadContext(null, ThreadKind.EXTERNAL, -1),
                options.stepTimeout().toNanos());
    }

    private static StrategySettings strategySettings(Exploration e) {
        return new StrategySettings(
                e.strategy().name().toLowerCase(Locale.ROOT),
                e.depth(),
                e.bias(),
                e.learnedChoiceSteps(),
                e.fairBound(),
                e.token());
    }

    /** Starts a run; nothing runs until {@link #call}. */
    public static Simulation start(SimulationOptions options) {
        Simulation s = new Simulation(options);
        LIVE.add(s);
        return s;
    }

    public SimulationOptions options() {
        return options;
    }

    /**
     * Runs {@code step} on the run's test context (the only thread that may boot its kernels and call
     * into them from outside) and returns its result. A failure of the run — a deadlock, a replay
     * divergence, a context stuck outside the scheduler — is thrown as {@link AssertionError} with
     * the report.
     */
    public <V> V call(Callable<V> step) throws Exception {
        try {
            return runner.call(step);
        } catch (WorldRunner.RunFailed failed) {
            throw new AssertionError(failed.getMessage());
        }
    }

    /** The run's current simulation, when the calling thread is one of its contexts. */
    public static Optional<Simulation> current() {
        if (LIVE.isEmpty()) {
            return Optional.empty(); // the threaded case, asked per NBL allocation: no iterator
        }
        for (Simulation s : LIVE) {
            if (s.runner.isCurrentThreadControlled()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The virtual clock in nanoseconds (a multiple of 100). */
    public long nanoTime() {
        return runner.nanoTime();
    }

    /**
     * Runs {@code action} on the run's hardware context after {@code delayNanos} of virtual time: the
     * device model's timers (a NIC's moderation timer, its PHY) on virtual time.
     */
    public ClockTask deviceTimer(long delayNanos, Runnable action) {
        Scheduler.ScheduledTask task = runner.hardwareTimer(delayNanos, action);
        return task::cancel;
    }

    /**
     * Sleeps the calling context (the test context, polling for a condition) {@code nanos} of virtual
     * time; every other context may run meanwhile. {@code why} names the wait in deadlock reports.
     */
    public void sleep(long nanos, String why) {
        runner.sleep(nanos, why);
    }

    /**
     * A seeded fault decision ({@code kind} names the point: "alloc:IO_WORK_ITEM"): false when the
     * run has no faults; otherwise drawn from the run's seed and written to its trace, so a replay
     * decides the same. The calling thread must be a context of this run.
     */
    public boolean fault(String kind) {
        return runner.fault(kind);
    }

    /**
     * The next number of a per-run series ({@code kind}: "nic" numbers MAC addresses): 1, 2, ... in
     * the order the run asks, whatever ran earlier in the JVM.
     */
    public int serial(String kind) {
        return serials.merge(kind, 1, Integer::sum);
    }

    /** The failure of the run so far (a deadlock report, a divergence), if any. */
    public Optional<String> failure() {
        return Optional.ofNullable(runner.failure());
    }

    /**
     * Ends the run: unwinds every context left, fixes the result and writes the trace and event log
     * of a failing run under the options' trace directory. {@code testFailure}: how the test itself
     * failed, or null.
     */
    public SimulationResult finish(Throwable testFailure) {
        LIVE.remove(this);
        WorldRunner.Outcome o = runner.finish(
                testFailure == null ? null : String.valueOf(testFailure), options.traceDirectory(), false);
        return new SimulationResult(
                o.passed(),
                o.failure(),
                o.seed(),
                o.steps(),
                o.choiceSteps(),
                o.virtualNanos(),
                o.eventLogSha256(),
                o.trace(),
                o.eventLog(),
                runner.strategy(),
                runner.fellBackToRandomWalk());
    }

    /** A fresh master seed (print it with any failure, so the run can be repeated). */
    public static long freshSeed() {
        return Seeds.fresh();
    }

    /** Iteration {@code i}'s seed under {@code master}: iteration 0 runs the master seed itself. */
    public static long iterationSeed(long master, int i) {
        return Seeds.iteration(master, i);
    }

    /** Parses a seed: hex with or without "0x", or a token "pct(d=2,k=41)/0x2a" (its seed part). */
    public static long parseSeed(String text) {
        return Seeds.parse(text);
    }

    /** A seed as the trace and failures write it: "0x2a". */
    public static String seedText(long seed) {
        return Seeds.hex(seed);
    }

    /** The scheduler of a kernel booting on this thread: the calling thread must be a run's test context. */
    static Scheduler attach(ThreadContext clockState) {
        for (Simulation s : LIVE) {
            if (s.runner.isCurrentThreadControlled()) {
                return s.runner.attach(clockState);
            }
        }
        throw new IllegalStateException("a DETERMINISTIC kernel boots inside a deterministic run: from a"
                + " @DeterministicTest or inside Simulation.call (this thread, '"
                + Thread.currentThread().getName()
                + "', is no context of a run)");
    }

    /** True when the calling thread is a context of a deterministic run. */
    static boolean insideRun() {
        return World.ofCurrentThread() != null;
    }
}
