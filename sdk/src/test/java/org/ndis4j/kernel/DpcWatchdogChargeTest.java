package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the DPC watchdog charges a routine or a stretch at DISPATCH_LEVEL, against a CPU clock the
 * test sets: the CPU time of the thread that runs it under the threaded kernel, clock time under the
 * deterministic one (no CPU clock) or when a thread's CPU time is not known.
 */
class DpcWatchdogChargeTest {

    private static final long MS = 1_000_000L;

    private final Map<Thread, Long> cpuUsed = new HashMap<>();
    private final ThreadCpuClock fakeCpu = thread -> cpuUsed.getOrDefault(thread, -1L);
    private final Thread processorThread = new Thread(() -> {}, "cpu0");
    private final Thread raisingThread = new Thread(() -> {}, "device");

    @Test
    void aThreadHeldOffTheCpuIsChargedNothingHoweverLongTheWallClockRuns() {
        DpcWatchdogCharge charge = new DpcWatchdogCharge(fakeCpu);
        cpuUsed.put(processorThread, 40 * MS);

        assertThat(charge.charge(0, 100 * MS, processorThread)).isZero();
        assertThat(charge.charge(0, 900 * MS, processorThread)).isZero(); // descheduled: no CPU used
        assertThat(charge.charge(0, 5_000 * MS, processorThread)).isZero();
    }

    @Test
    void theCpuTimeUsedBetweenLooksIsCharged() {
        DpcWatchdogCharge charge = new DpcWatchdogCharge(fakeCpu);
        cpuUsed.put(processorThread, 40 * MS);
        charge.charge(0, 10 * MS, processorThread);

        cpuUsed.put(processorThread, 165 * MS);
        assertThat(charge.charge(0, 135 * MS, processorThread)).isEqualTo(125 * MS);
        cpuUsed.put(processorThread, 600 * MS);
        assertThat(charge.charge(0, 900 * MS, processorThread)).isEqualTo(560 * MS);
    }

    @Test
    void aNewStretchStartsFromNothing() {
        DpcWatchdogCharge charge = new DpcWatchdogCharge(fakeCpu);
        cpuUsed.put(processorThread, 0L);
        charge.charge(0, 10 * MS, processorThread);
        cpuUsed.put(processorThread, 300 * MS);
        assertThat(charge.charge(0, 310 * MS, processorThread)).isEqualTo(300 * MS);

        cpuUsed.put(processorThread, 400 * MS);
        assertThat(charge.charge(350 * MS, 420 * MS, processorThread)).isZero(); // the next routine
        cpuUsed.put(processorThread, 450 * MS);
        assertThat(charge.charge(350 * MS, 470 * MS, processorThread)).isEqualTo(50 * MS);
    }

    @Test
    void whenTheRunningThreadChangesTheWallTimeBetweenTheLooksIsCharged() {
        DpcWatchdogCharge charge = new DpcWatchdogCharge(fakeCpu);
        cpuUsed.put(raisingThread, 7 * MS);
        cpuUsed.put(processorThread, 900 * MS);
        charge.charge(0, 10 * MS, raisingThread);

        // The raising thread gave the processor back to its own thread; who ran when is not known.
        assertThat(charge.charge(0, 60 * MS, processorThread)).isEqualTo(50 * MS);
        cpuUsed.put(processorThread, 920 * MS);
        assertThat(charge.charge(0, 200 * MS, processorThread)).isEqualTo(70 * MS);
    }

    @Test
    void withoutACpuClockTheKernelClockIsCharged() {
        DpcWatchdogCharge virtual = new DpcWatchdogCharge(null);
        assertThat(virtual.charge(100 * MS, 100 * MS, processorThread)).isZero();
        assertThat(virtual.charge(100 * MS, 700 * MS, processorThread)).isEqualTo(600 * MS);
    }

    @Test
    void aThreadWhoseCpuTimeIsNotKnownIsChargedClockTime() {
        DpcWatchdogCharge charge = new DpcWatchdogCharge(fakeCpu);
        assertThat(charge.charge(100 * MS, 700 * MS, raisingThread)).isEqualTo(600 * MS); // no entry: -1
    }
}
