package org.ndis4j.kernel;

import java.util.List;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * The DPC watchdog. It looks at every processor a few times per limit: a single ISR or DPC that has
 * run longer than the DPC time-out is DPC_WATCHDOG_VIOLATION with parameter 1 = 0; a processor that
 * has stayed at DISPATCH_LEVEL or above (DPC after DPC, never idle) longer than the cumulative limit
 * is DPC_WATCHDOG_VIOLATION with parameter 1 = 1. The other parameters are laid out as Windows lays
 * them out, in clock ticks of 1 ms (Windows counts clock ticks too): for parameter 1 = 0, parameter 2
 * is the time the routine ran and parameter 3 the limit; for parameter 1 = 1, parameter 2 is the
 * watchdog period (the limit) and parameter 3 is 0 (Windows puts its triage block there).
 */
final class DpcWatchdog {

    private final Kernel kernel;
    private final List<Processor> processors;
    private final Scheduler scheduler;
    private final long singleLimitNanos;
    private final long cumulativeLimitNanos;
    private final long periodNanos;
    private volatile Scheduler.ScheduledTask next;
    private volatile boolean stopped;

    DpcWatchdog(Kernel kernel, List<Processor> processors, Scheduler scheduler) {
        this.kernel = kernel;
        this.processors = processors;
        this.scheduler = scheduler;
        this.singleLimitNanos = kernel.config().dpcTimeout().toNanos();
        this.cumulativeLimitNanos = kernel.config().dpcWatchdogLimit().toNanos();
        this.periodNanos = Math.max(1_000_000L, Math.min(singleLimitNanos, cumulativeLimitNanos) / 4);
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
        for (Processor p : processors) {
            long start = p.routineStart();
            if (start != Processor.NONE && now - start > singleLimitNanos) {
                Culprit culprit = Culprit.of(p);
                if (p.routineStart() != start) {
                    continue; // it returned while we looked: a report must show the routine still running
                }
                report(
                        p,
                        culprit,
                        0,
                        (now - start) / 1_000_000,
                        singleLimitNanos / 1_000_000,
                        "a single DPC or ISR ran for " + (now - start) / 1_000_000 + " ms (limit "
                                + singleLimitNanos / 1_000_000 + " ms)");
                return;
            }
            long elevated = p.elevatedSince();
            if (elevated != Processor.NONE && now - elevated > cumulativeLimitNanos) {
                report(
                        p,
                        Culprit.of(p),
                        1,
                        cumulativeLimitNanos / 1_000_000,
                        0,
                        "processor " + p.number() + " stayed at DISPATCH_LEVEL or above for "
                                + (now - elevated) / 1_000_000 + " ms (limit "
                                + cumulativeLimitNanos / 1_000_000 + " ms)");
                return;
            }
        }
        next = scheduler.schedule(periodNanos, TimeoutKind.WATCHDOG, this::check);
    }

    /** What runs on a processor, read before the report so that it can be checked as still running. */
    private record Culprit(Thread runner, Irql irql, String driver) {
        static Culprit of(Processor p) {
            // A raising thread that runs the processor in its place, or its own thread.
            return new Culprit(p.runner(), p.routineIrql(), p.routineDriver());
        }
    }

    private void report(Processor p, Culprit culprit, long kind, long parameter2, long parameter3, String message) {
        Irql irql = culprit.irql();
        kernel.bugCheckFor(
                culprit.runner(),
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
        culprit.runner().interrupt();
    }
}
