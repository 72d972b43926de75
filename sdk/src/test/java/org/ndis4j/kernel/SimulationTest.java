package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The deterministic scheduler driven directly through {@link Simulation}: handoffs between a
 * kernel's contexts, virtual time, deadlock reports, the uncontrolled-caller check, and the same
 * seed giving the same run.
 */
class SimulationTest {

    private static final KernelConfig ONE_CPU = KernelConfig.defaults()
            .withName("sim")
            .withProcessors(1)
            .withWorkers(2, 1)
            .withScheduling(KernelConfig.Scheduling.DETERMINISTIC);

    /** Runs {@code body} in a fresh run with {@code seed}; returns the result. */
    private static SimulationResult run(long seed, Callable<Object> body) {
        Simulation sim = Simulation.start(SimulationOptions.seed("SimulationTest", seed));
        Throwable failure = null;
        try {
            sim.call(body);
        } catch (Throwable t) {
            failure = t;
        }
        return sim.finish(failure);
    }

    /** Two work items and a DPC that each append to a log under no lock, then signal. */
    private static Callable<Object> workItemsAndADpc(List<String> order) {
        return () -> {
            Kernel k = Kernel.boot(ONE_CPU.withProcessors(2));
            KEvent a = k.initializeEvent(false);
            KEvent b = k.initializeEvent(false);
            KEvent c = k.initializeEvent(false);
            k.queueWorkItem(WorkQueueType.CriticalWorkQueue, "drv", () -> {
                order.add("A1");
                k.switchPoint("test:A");
                order.add("A2");
                a.set();
            });
            k.queueWorkItem(WorkQueueType.CriticalWorkQueue, "drv", () -> {
                order.add("B1");
                k.switchPoint("test:B");
                order.add("B2");
                b.set();
            });
            KDpc dpc = k.initializeDpc(
                    (KDpc d, Object ctx, Object a1, Object a2) -> {
                        order.add("D");
                        c.set();
                    },
                    null,
                    "drv");
            k.insertQueueDpc(dpc, null, null);
            k.waitFor("A", a, -1, WaitKind.WORK);
            k.waitFor("B", b, -1, WaitKind.WORK);
            k.waitFor("C", c, -1, WaitKind.WORK);
            k.close();
            return null;
        };
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndEventLog() {
        for (long seed = 1; seed <= 30; seed++) {
            List<String> first = new ArrayList<>();
            List<String> second = new ArrayList<>();
            SimulationResult r1 = run(seed, workItemsAndADpc(first));
            SimulationResult r2 = run(seed, workItemsAndADpc(second));
            assertThat(r1.passed()).as(r1.failure()).isTrue();
            assertThat(r2.eventLogSha256()).isEqualTo(r1.eventLogSha256());
            assertThat(second).isEqualTo(first);
            assertThat(first).containsExactlyInAnyOrder("A1", "A2", "B1", "B2", "D");
        }
    }

    @Test
    void differentSeedsExploreDifferentInterleavings() {
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 1; seed <= 60; seed++) {
            List<String> order = new ArrayList<>();
            assertThat(run(seed, workItemsAndADpc(order)).passed()).isTrue();
            seen.add(order);
        }
        assertThat(seen).as("distinct orders over 60 seeds").hasSizeGreaterThan(3);
    }

    @Test
    void sleepsAndTimedWaitsMoveTheVirtualClockNotTheWallClock() {
        AtomicReference<Long> slept = new AtomicReference<>();
        AtomicReference<Boolean> timedOut = new AtomicReference<>();
        long wallStart = System.nanoTime();
        SimulationResult r = run(7, () -> {
            Kernel k = Kernel.boot(ONE_CPU);
            long t0 = k.nanoTime();
            k.delayExecution(3_600_000_000_000L / 2); // half an hour
            slept.set(k.nanoTime() - t0);
            timedOut.set(!k.waitFor("nothing", k.initializeEvent(false), 250_000_000L, WaitKind.WORK));
            k.close();
            return null;
        });
        assertThat(r.passed()).as(r.failure()).isTrue();
        assertThat(slept.get()).isEqualTo(1_800_000_000_000L);
        assertThat(timedOut.get()).isTrue();
        assertThat(r.virtualNanos()).isGreaterThanOrEqualTo(1_800_250_000_000L);
        assertThat(System.nanoTime() - wallStart).as("wall time").isLessThan(1_800_000_000_000L);
    }

    @Test
    void aWaitNobodyEndsIsADeadlockThatNamesTheWaiter() {
        SimulationResult r = run(3, () -> {
            Kernel k = Kernel.boot(ONE_CPU);
            KEvent never = k.initializeEvent(false);
            KEvent done = k.initializeEvent(false);
            k.queueWorkItem(WorkQueueType.DelayedWorkQueue, "missing-set", () -> {
                k.waitFor("the idle event", never, -1, WaitKind.WORK);
                done.set();
            });
            k.waitFor("the work item", done, -1, WaitKind.WORK);
            return null;
        });
        assertThat(r.passed()).isFalse();
        assertThat(r.failure())
                .startsWith("DEADLOCK at t=")
                .contains("K1/D0")
                .contains("waits for the idle event on EV#")
                .contains("driver missing-set")
                .contains("T ")
                .contains("waits for the work item");
    }

    @Test
    void aThreadOutsideTheRunThatCallsInFailsAtOnce() throws Exception {
        AtomicReference<Kernel> kernel = new AtomicReference<>();
        Simulation sim = Simulation.start(SimulationOptions.seed("SimulationTest", 5));
        try {
            sim.call(() -> {
                kernel.set(Kernel.boot(ONE_CPU));
                return null;
            });
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread outsider = new Thread(
                    () -> {
                        try {
                            kernel.get().queueWorkItem(WorkQueueType.CriticalWorkQueue, "x", () -> {});
                        } catch (Throwable t) {
                            thrown.set(t);
                        }
                    },
                    "netty-like-thread");
            outsider.start();
            outsider.join();
            assertThat(thrown.get())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("thread 'netty-like-thread'")
                    .hasMessageContaining("deterministic");
            sim.call(() -> {
                kernel.get().close();
                return null;
            });
        } finally {
            SimulationResult r = sim.finish(null);
            assertThat(r.passed()).as("a run an outside thread called into").isFalse();
            assertThat(r.failure()).contains("netty-like-thread");
        }
    }

    @Test
    void aDeterministicKernelBootsOnlyInsideARun() {
        assertThatThrownBy(() -> Kernel.boot(ONE_CPU))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a deterministic run");
    }
}
