package org.ndis4j.kernel;

/**
 * How long the DPC watchdog holds that one stretch of a processor's time has run: a single ISR or
 * DPC, or a stretch at DISPATCH_LEVEL or above. The watchdog's thread alone calls it, at each look.
 *
 * <p>With no CPU clock (the deterministic kernel: its virtual clock already counts only what runs)
 * the charge is the clock time since the stretch began. With one (the threaded kernel) it is the CPU
 * time of the threads that ran the stretch, measured from the watchdog's first look at it: a real
 * CPU at DISPATCH_LEVEL is never taken away from its routine, but a JVM thread is, by the OS
 * scheduler on a loaded host or by a garbage collector's pause, for hundreds of milliseconds. What
 * the stretch used before the first look (at most one watchdog period when the watchdog is on time)
 * is not charged. When the thread running it changes between two looks (a raising thread gave the
 * processor back to its own thread), the wall time between them is charged: who ran when is not
 * known.
 */
final class DpcWatchdogCharge {

    private final ThreadCpuClock cpu;

    /** The start of the stretch looked at last, NONE before the first look. */
    private long stretch = Processor.NONE;

    private Thread runner;
    private long lastCpu;
    private long lastLook;
    private long charged;

    /** A charge in clock time ({@code cpu} null) or in CPU time of the stretch's threads. */
    DpcWatchdogCharge(ThreadCpuClock cpu) {
        this.cpu = cpu;
    }

    /**
     * The time charged to the stretch that began at {@code start} (kernel clock), seen at {@code now}
     * running on {@code runner}.
     */
    long charge(long start, long now, Thread runner) {
        long cpuNow = cpu == null ? -1 : cpu.cpuNanos(runner);
        if (cpuNow < 0) {
            return now - start;
        }
        if (start != stretch) {
            stretch = start;
            charged = 0;
        } else if (runner == this.runner) {
            charged += cpuNow - lastCpu;
        } else {
            charged += now - lastLook;
        }
        this.runner = runner;
        lastCpu = cpuNow;
        lastLook = now;
        return charged;
    }
}
