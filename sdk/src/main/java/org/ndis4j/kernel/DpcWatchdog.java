package org.ndis4j.kernel;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TimeoutKind;
import org.ndis4j.kernel.internal.WatchdogInterrupt;

/**
 * The DPC watchdog. It looks at every processor a few times per limit: a single ISR or DPC that has
 * run longer than the DPC time-out is DPC_WATCHDOG_VIOLATION with parameter 1 = 0; a processor that
 * has stayed at DISPATCH_LEVEL or above (DPC after DPC, never idle) longer than the cumulative limit
 * is DPC_WATCHDOG_VIOLATION with parameter 1 = 1. The other parameters are laid out as Windows lays
 * them out, in clock ticks of 1 ms (Windows counts clock ticks too): for parameter 1 = 0, parameter 2
 * is the time the routine ran and parameter 3 the limit; for parameter 1 = 1, parameter 2 is the
 * watchdog period (the limit) and parameter 3 is 0 (Windows puts its triage block there).
 *
 * <p>"Ran" is what {@link DpcWatchdogCharge} charges: virtual time under the deterministic
 * scheduler, CPU time of the running thread under the threaded one, where a thread the OS or a GC
 * pause holds off a CPU is not running driver code. A routine that has not returned after {@link
 * #WALL_BACKSTOP} times the limit in wall time is reported all the same (a DPC blocked in a wait
 * uses no CPU and is as stuck).
 */
final class DpcWatchdog {

    /** How many limits of wall time a routine or a stretch at DISPATCH_LEVEL may take, on a CPU or not. */
    static final int WALL_BACKSTOP = 10;

    private final Kernel kernel;
    private final List<Processor> processors;
    private final Scheduler scheduler;
    private final long singleLimitNanos;
    private final long cumulativeLimitNanos;
    private final long periodNanos;
    /** Per processor: what its current routine has been charged, and its stretch at DISPATCH_LEVEL. */
    private final DpcWatchdogCharge[] routineCharges;

    private final DpcWatchdogCharge[] elevatedCharges;
    private volatile Scheduler.ScheduledTask next;
    private volatile boolean stopped;
    /** Kernel clock of the last look that found nothing to report, NONE before the first. */
    private volatile long lastQuietLook = Processor.NONE;

    /** {@code cpu} null: charge kernel clock time (the deterministic kernel). */
    DpcWatchdog(Kernel kernel, List<Processor> processors, Scheduler scheduler, ThreadCpuClock cpu) {
        this.kernel = kernel;
        this.processors = processors;
        this.scheduler = scheduler;
        this.singleLimitNanos = kernel.config().dpcTimeout().toNanos();
        this.cumulativeLimitNanos = kernel.config().dpcWatchdogLimit().toNanos();
        this.periodNanos = Math.max(1_000_000L, Math.min(singleLimitNanos, cumulativeLimitNanos) / 4);
        this.routineCharges = new DpcWatchdogCharge[processors.size()];
        this.elevatedCharges = new DpcWatchdogCharge[processors.size()];
        for (int i = 0; i < processors.size(); i++) {
            routineCharges[i] = new DpcWatchdogCharge(cpu);
            elevatedCharges[i] = new DpcWatchdogCharge(cpu);
        }
    }

    void start() {
        next = scheduler.schedule(periodNanos, TimeoutKind.WATCHDOG, this::check);
    }

    void stop() {
        stopped = true;
        Scheduler.ScheduledTask task = next;
        if (task != null) {
            task.cancel();
        }
    }

    private void check() {
        if (stopped || kernel.isCrashed()) {
            return;
        }
        long now = kernel.nanoTime();
        for (int i = 0; i < processors.size(); i++) {
            Processor p = processors.get(i);
            long start = p.routineStart();
            if (start != Processor.NONE) {
                Culprit culprit = Culprit.of(p);
                long ran = routineCharges[i].charge(start, now, culprit.runner());
                long wall = now - start;
                boolean overLimit = ran > singleLimitNanos;
                if (overLimit || wall > WALL_BACKSTOP * singleLimitNanos) {
                    String message = overLimit
                            ? "a single DPC or ISR ran for " + ran / 1_000_000 + " ms (limit "
                                    + singleLimitNanos / 1_000_000 + " ms)"
                            : "a single DPC or ISR has not returned for " + wall / 1_000_000 + " ms, "
                                    + WALL_BACKSTOP + " times the limit (" + singleLimitNanos / 1_000_000
                                    + " ms), though it ran for only " + ran / 1_000_000 + " ms of it";
                    long ranTicks = (overLimit ? ran : wall) / 1_000_000;
                    if (report(
                            p,
                            culprit,
                            0,
                            ranTicks,
                            singleLimitNanos / 1_000_000,
                            message,
                            () -> p.routineStart() == start)) {
                        return;
                    }
                    continue; // it returned while we looked: a report must show the routine still running
                }
            }
            long elevated = p.elevatedSince();
            if (elevated != Processor.NONE) {
                Culprit culprit = Culprit.of(p);
                long stayed = elevatedCharges[i].charge(elevated, now, culprit.runner());
                long wall = now - elevated;
                if (stayed > cumulativeLimitNanos || wall > WALL_BACKSTOP * cumulativeLimitNanos) {
                    String message = "processor " + p.number() + " stayed at DISPATCH_LEVEL or above for "
                            + (stayed > cumulativeLimitNanos ? stayed : wall) / 1_000_000
                            + " ms (limit " + cumulativeLimitNanos / 1_000_000 + " ms)";
                    if (report(
                            p,
                            culprit,
                            1,
                            cumulativeLimitNanos / 1_000_000,
                            0,
                            message,
                            () -> p.elevatedSince() == elevated)) {
                        return;
                    }
                }
            }
        }
        lastQuietLook = now;
        next = scheduler.schedule(periodNanos, TimeoutKind.WATCHDOG, this::check);
    }

    /** The kernel clock at the last look that found every processor within its limits, or NONE. */
    long lastQuietLook() {
        return lastQuietLook;
    }

    /** What runs on a processor, read before the report so that it can be checked as still running. */
    private record Culprit(Thread runner, Irql irql, String driver) {
        static Culprit of(Processor p) {
            // A raising thread that runs the processor in its place, or its own thread.
            return new Culprit(p.runner(), p.routineIrql(), p.routineDriver());
        }
    }

    /**
     * Reports what runs on {@code p}, with the stack of the thread that runs it, if it still runs once
     * that stack is taken; false, with nothing reported, when it has ended meanwhile (the stack would
     * be of whatever that thread does next: an idle processor's).
     */
    private boolean report(
            Processor p,
            Culprit culprit,
            long kind,
            long parameter2,
            long parameter3,
            String message,
            BooleanSupplier stillRunning) {
        StackTraceElement[] stack = culprit.runner().getStackTrace();
        WatchdogInterrupt interrupt = p.watchdogInterrupt();
        interrupt.announce(culprit.runner()); // before the check, as WatchdogInterrupt explains
        if (!stillRunning.getAsBoolean() || p.runner() != culprit.runner()) {
            interrupt.cancel(culprit.runner());
            return false;
        }
        Irql irql = culprit.irql();
        kernel.bugCheckFor(
                culprit.runner(),
                stack,
                p.number(),
                irql == null ? Irql.DISPATCH_LEVEL : irql,
                culprit.driver(),
                BugCheckCode.DPC_WATCHDOG_VIOLATION,
                kind,
                parameter2,
                parameter3,
                0,
                null,
                message);
        // The running routine cannot be stopped from outside; interrupting its thread ends any wait
        // or stall it makes, and every kernel call it makes from now on throws.
        interrupt.deliver(culprit.runner());
        return true;
    }
}
