package org.ndis4j.kernel;

import java.time.Duration;

/**
 * How a simulated machine is built.
 *
 * @param name             shown in thread names and crash reports
 * @param processors       number of simulated processors (each a thread that runs ISRs and DPCs)
 * @param criticalWorkers  threads serving CriticalWorkQueue
 * @param delayedWorkers   threads serving DelayedWorkQueue
 * @param dpcTimeout       DPC watchdog: the longest a single DPC or ISR may run
 * @param dpcWatchdogLimit DPC watchdog: the longest a processor may stay at DISPATCH_LEVEL or above
 * @param scheduling       how the machine's contexts are scheduled
 * @param allocationStacks the verifier records where each tracked object (work item, timer, NBL,
 *                         pool, shared memory, interrupt, device, held spin lock) was made, and leak
 *                         and crash reports print it; costs a stack walk per allocation, so it is off
 *                         unless asked for (system property {@value #ALLOCATION_STACKS_PROPERTY}, or
 *                         a test run by {@code KernelExtension})
 * @param ndisWatchdog     NDIS's watchdog: how long NDIS waits for a driver to finish an operation it
 *                         called for (MiniportHaltEx, a pause, an OID request, a reset, …) before it
 *                         stops the machine with BUGCODE_NDIS_DRIVER (0x7C, parameter 1 = 0x25);
 *                         {@link #DEFAULT_NDIS_WATCHDOG} unless set (a test run by
 *                         {@code KernelExtension} uses a few seconds)
 * @param interruptsOnRaisingThread under the threaded scheduler, an interrupt raised by a thread
 *                         from outside the kernel while its processor is idle runs on that thread, as
 *                         the processor, with the DPCs it queues there (docs/kernel.md, "Interrupts on
 *                         the raising thread"); on unless the system property {@value
 *                         #INTERRUPTS_ON_RAISING_THREAD_PROPERTY} is "false". The deterministic
 *                         scheduler ignores it.
 */
public record KernelConfig(
        String name,
        int processors,
        int criticalWorkers,
        int delayedWorkers,
        Duration dpcTimeout,
        Duration dpcWatchdogLimit,
        Scheduling scheduling,
        boolean allocationStacks,
        Duration ndisWatchdog,
        boolean interruptsOnRaisingThread) {

    /**
     * How the contexts of the machine (processors, worker threads, the clock) are scheduled. Every
     * mode sits behind the kernel's one scheduler seam; the NDIS layer and drivers cannot tell them
     * apart.
     */
    public enum Scheduling {
        /** Every context is a platform thread; the clock is the JVM's monotonic clock. */
        THREADED,
        /**
         * One context runs at a time under a seeded scheduler, on virtual time (see
         * {@link Simulation}); the kernel boots only inside a deterministic run.
         */
        DETERMINISTIC
    }

    /** Simulated defaults; see docs/kernel.md for the Windows values they stand for. */
    public static final Duration DEFAULT_DPC_TIMEOUT = Duration.ofMillis(500);

    public static final Duration DEFAULT_DPC_WATCHDOG_LIMIT = Duration.ofSeconds(10);

    /**
     * NDIS's watchdog outside tests. Windows does not document its own value; ten minutes is the order
     * of Windows' other watchdogs on stuck driver callbacks (KMDF's power-callback watchdog is 10
     * minutes), long enough that only a driver that really hangs trips it. See docs/kernel.md.
     */
    public static final Duration DEFAULT_NDIS_WATCHDOG = Duration.ofMinutes(10);

    /** The system property that turns {@link #allocationStacks()} on by default ("true"). */
    public static final String ALLOCATION_STACKS_PROPERTY = "ndis4j.verifier.allocationStacks";

    /**
     * The system property that sets {@link #interruptsOnRaisingThread()} for {@link #defaults()}: on
     * unless it is "false".
     */
    public static final String INTERRUPTS_ON_RAISING_THREAD_PROPERTY = "ndis4j.kernel.interruptsOnRaisingThread";

    public KernelConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a kernel needs a name");
        }
        if (processors < 1 || processors > 64) {
            throw new IllegalArgumentException("processors must be 1..64: " + processors);
        }
        if (criticalWorkers < 1 || delayedWorkers < 1) {
            throw new IllegalArgumentException("each work queue needs at least one worker thread");
        }
        if (scheduling == null) {
            throw new IllegalArgumentException("a kernel needs a scheduling mode");
        }
        if (dpcTimeout.isNegative()
                || dpcTimeout.isZero()
                || dpcWatchdogLimit.isNegative()
                || dpcWatchdogLimit.isZero()) {
            throw new IllegalArgumentException("DPC watchdog limits must be positive");
        }
        if (ndisWatchdog == null || ndisWatchdog.isNegative() || ndisWatchdog.isZero()) {
            throw new IllegalArgumentException("the NDIS watchdog must be positive: " + ndisWatchdog);
        }
    }

    /**
     * Two processors, four critical and two delayed worker threads, threaded scheduling; allocation
     * stacks when the system property {@value #ALLOCATION_STACKS_PROPERTY} is true; interrupts on the
     * raising thread unless the system property {@value #INTERRUPTS_ON_RAISING_THREAD_PROPERTY} is false.
     */
    public static KernelConfig defaults() {
        return new KernelConfig(
                "ndis4j",
                2,
                4,
                2,
                DEFAULT_DPC_TIMEOUT,
                DEFAULT_DPC_WATCHDOG_LIMIT,
                Scheduling.THREADED,
                Boolean.getBoolean(ALLOCATION_STACKS_PROPERTY),
                DEFAULT_NDIS_WATCHDOG,
                !"false".equalsIgnoreCase(System.getProperty(INTERRUPTS_ON_RAISING_THREAD_PROPERTY)));
    }

    public KernelConfig withName(String newName) {
        return new KernelConfig(
                newName,
                processors,
                criticalWorkers,
                delayedWorkers,
                dpcTimeout,
                dpcWatchdogLimit,
                scheduling,
                allocationStacks,
                ndisWatchdog,
                interruptsOnRaisingThread);
    }

    public KernelConfig withProcessors(int count) {
        return new KernelConfig(
                name,
                count,
                criticalWorkers,
                delayedWorkers,
                dpcTimeout,
                dpcWatchdogLimit,
                scheduling,
                allocationStacks,
                ndisWatchdog,
                interruptsOnRaisingThread);
    }

    public KernelConfig withWorkers(int critical, int delayed) {
        return new KernelConfig(
                name,
                processors,
                critical,
                delayed,
                dpcTimeout,
                dpcWatchdogLimit,
                scheduling,
                allocationStacks,
                ndisWatchdog,
                interruptsOnRaisingThread);
    }

    public KernelConfig withDpcWatchdog(Duration singleDpc, Duration cumulative) {
        return new KernelConfig(
                name,
                processors,
                criticalWorkers,
                delayedWorkers,
                singleDpc,
                cumulative,
                scheduling,
                allocationStacks,
                ndisWatchdog,
                interruptsOnRaisingThread);
    }

    public KernelConfig withScheduling(Scheduling mode) {
        return new KernelConfig(
                name,
                processors,
                criticalWorkers,
                delayedWorkers,
                dpcTimeout,
                dpcWatchdogLimit,
                mode,
                allocationStacks,
                ndisWatchdog,
                interruptsOnRaisingThread);
    }

    /** Records allocation stacks (see {@link #allocationStacks()}) or not. */
    public KernelConfig withAllocationStacks(boolean record) {
        return new KernelConfig(
                name,
                processors,
                criticalWorkers,
                delayedWorkers,
                dpcTimeout,
                dpcWatchdogLimit,
                scheduling,
                record,
                ndisWatchdog,
                interruptsOnRaisingThread);
    }

    /**
     * How long NDIS waits for a driver operation before its watchdog stops the machine with
     * BUGCODE_NDIS_DRIVER (0x7C / 0x25).
     */
    public KernelConfig withNdisWatchdog(Duration timeout) {
        return new KernelConfig(
                name,
                processors,
                criticalWorkers,
                delayedWorkers,
                dpcTimeout,
                dpcWatchdogLimit,
                scheduling,
                allocationStacks,
                timeout,
                interruptsOnRaisingThread);
    }

    /**
     * Lets an interrupt raised from outside the kernel run on the raising thread when its processor
     * is idle, or always queues it for the processor's own thread (see {@link
     * #interruptsOnRaisingThread()}).
     */
    public KernelConfig withInterruptsOnRaisingThread(boolean onRaisingThread) {
        return new KernelConfig(
                name,
                processors,
                criticalWorkers,
                delayedWorkers,
                dpcTimeout,
                dpcWatchdogLimit,
                scheduling,
                allocationStacks,
                ndisWatchdog,
                onRaisingThread);
    }
}
