package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the deterministic scheduler cannot control becomes a precise failure instead of a hang. A
 * context that holds the turn and takes no scheduling step for the stuck time-out — waiting outside
 * the kernel, blocked on a JVM monitor, or looping with no NDIS call — fails the run with what it is
 * doing and where. With the lock audit on, a context that reaches a scheduling point while holding a
 * JVM monitor fails the run at that point, naming the monitor and where it was taken.
 */
class StuckAndLockAuditTest {

    private static final Duration STUCK = Duration.ofSeconds(2);

    private static SimulationResult run(Callable<Object> body) {
        SimulationOptions o = SimulationOptions.seed("StuckAndLockAuditTest", 7);
        Simulation sim = Simulation.start(new SimulationOptions(
                o.test(), 0, 7, 7, o.strategy(), o.granularity(), o.maxSteps(), o.hangs(), null, null, STUCK, 0));
        Throwable failure = null;
        try {
            sim.call(body);
        } catch (Throwable t) {
            failure = t;
        }
        return sim.finish(failure);
    }

    private static Kernel boot() {
        return Kernel.boot(KernelConfig.defaults()
                .withName("stuck")
                .withProcessors(1)
                .withWorkers(1, 1)
                .withScheduling(KernelConfig.Scheduling.DETERMINISTIC));
    }

    @Test
    void aFutureGetOnTheTestContextIsReportedAsWaitingOutsideTheScheduler() {
        SimulationResult r = run(() -> {
            boot();
            return new CompletableFuture<String>().get(8, TimeUnit.SECONDS); // nobody completes it
        });

        assertThat(r.passed()).isFalse();
        assertThat(r.failure())
                .contains("STUCK: the run made no progress for 2 s of wall time: T holds the turn and is TIMED_WAITING"
                        + " outside the scheduler")
                .contains("Await")
                .contains("at java.util.concurrent.CompletableFuture.get(")
                .contains("StuckAndLockAuditTest");
    }

    @Test
    void aWorkItemLoopingWithNoNdisCallIsReportedAsRunningWithoutAPoint() {
        SimulationResult r = run(() -> {
            Kernel kernel = boot();
            KEvent done = kernel.initializeEvent(false);
            kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "spins", () -> {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // busy with no NDIS call: the scheduler never gets the turn back
                }
                done.set();
            });
            kernel.waitFor("the spinning item", done, -1, WaitKind.WORK);
            return null;
        });

        assertThat(r.failure())
                .contains("K1/W0 holds the turn and runs without reaching a scheduling point")
                .contains("StuckAndLockAuditTest");
    }

    @Test
    void aWorkItemBlockedOnAMonitorIsReportedWithTheMonitorAndItsOwner() throws Exception {
        Object monitor = new Object();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(
                () -> {
                    synchronized (monitor) {
                        held.countDown();
                        try {
                            release.await(); // a thread outside the run keeps it until the run has ended
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                },
                "monitor-holder");
        holder.start();
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

        SimulationResult r;
        try {
            r = run(() -> {
                Kernel kernel = boot();
                KEvent done = kernel.initializeEvent(false);
                kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "blocks", () -> {
                    synchronized (monitor) {
                        done.set();
                    }
                });
                kernel.waitFor("the blocked item", done, -1, WaitKind.WORK);
                return null;
            });
        } finally {
            release.countDown();
        }
        holder.join();

        assertThat(r.failure())
                .contains("K1/W0 holds the turn and is BLOCKED on the JVM monitor java.lang.Object@")
                .contains("held by thread 'monitor-holder'")
                .contains("auditLocks");
    }

    @Test
    void withTheLockAuditAMonitorHeldAcrossASchedulingPointFailsTheRunThere() {
        Object monitor = new Object();
        Callable<Object> heldAcrossAPoint = () -> {
            Kernel kernel = boot();
            KEvent done = kernel.initializeEvent(false);
            kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "holds", () -> {
                synchronized (monitor) {
                    kernel.switchPoint("NdisMIndicateStatusEx"); // an NDIS call inside the monitor
                }
                done.set();
            });
            kernel.waitFor("the item", done, -1, WaitKind.WORK);
            kernel.close();
            return null;
        };
        assertThat(run(heldAcrossAPoint).passed())
                .as("without the audit the run passes: nothing else needs the monitor")
                .isTrue();

        System.setProperty("ndis4j.det.auditLocks", "true");
        SimulationResult audited;
        try {
            audited = run(heldAcrossAPoint);
        } finally {
            System.clearProperty("ndis4j.det.auditLocks");
        }

        assertThat(audited.passed()).isFalse();
        assertThat(audited.failure())
                .startsWith("LOCK AUDIT: K1/W0 reached the scheduling point NdisMIndicateStatusEx holding the JVM"
                        + " monitor of a java.lang.Object (synchronized at org.ndis4j.kernel.StuckAndLockAuditTest");
    }
}
