package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.ndis4j.testing.BugCheckAssertions;

/**
 * The threaded kernel's DPC watchdog charges a routine the CPU time of the thread that runs it
 * (docs/kernel.md, "DPC watchdog"): a DPC that burns a CPU past the limit is DPC_WATCHDOG_VIOLATION,
 * a DPC whose thread is off the CPU (here: blocked on a latch the test holds) is not, until it has
 * not returned for {@link DpcWatchdog#WALL_BACKSTOP} times the limit. Each test boots its own machine
 * with short limits.
 */
class DpcWatchdogTest {

    private static final long WAIT_SECONDS = 10;

    private static Kernel boot(String name, Duration single, Duration cumulative) {
        return Kernel.boot(KernelConfig.defaults().withName(name).withDpcWatchdog(single, cumulative));
    }

    @Test
    void aDpcThatBurnsACpuPastTheLimitIsAViolationWithParameter0NamingTheDriver() {
        try (Kernel kernel = boot("burning-dpc", Duration.ofMillis(100), Duration.ofSeconds(30))) {
            KDpc burner = kernel.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> {
                        for (; ; ) {
                            kernel.stall(10_000); // a busy wait: ends with the crash
                        }
                    },
                    null,
                    "burner");
            CrashReport report = BugCheckAssertions.assertBugCheck(
                    kernel, BugCheckCode.DPC_WATCHDOG_VIOLATION, () -> Ke.insertQueueDpc(burner, null, null));
            assertThat(report.parameters().get(0)).isEqualTo(0L);
            assertThat(report.parameters().get(1)).isGreaterThanOrEqualTo(100L); // in whole ms ticks: 100.4 ms is 100
            assertThat(report.parameters().get(2)).isEqualTo(100L);
            assertThat(report.driver()).isEqualTo("burner");
            // Charged its CPU time; on a host so loaded that the thread gets a sliver of a CPU, the
            // wall-time backstop may catch it first.
            assertThat(report.message())
                    .matches("a single DPC or ISR (ran for \\d+ ms \\(limit 100 ms\\)|has not returned for .*)");
            assertThat(report.stack()).anyMatch(frame -> frame.contains("DpcWatchdogTest"));
        }
    }

    @Test
    void aDpcOffTheCpuPastTheLimitIsNotAViolation() throws Exception {
        long limit = Duration.ofMillis(200).toNanos();
        try (Kernel kernel = boot("waiting-dpc", Duration.ofNanos(limit), Duration.ofSeconds(30))) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch returned = new CountDownLatch(1);
            AtomicLong started = new AtomicLong();
            CountDownLatch running = new CountDownLatch(1);
            KDpc waiter = kernel.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> {
                        started.set(kernel.nanoTime());
                        running.countDown();
                        awaitQuietly(release); // as a descheduled thread: on no CPU
                        returned.countDown();
                    },
                    null,
                    "waiter");
            Ke.insertQueueDpc(waiter, null, null);
            assertThat(running.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

            // The watchdog has looked at the routine after twice the limit of wall time and let it be.
            waitUntil(() -> kernel.dpcWatchdog().lastQuietLook() - started.get() > 2 * limit);
            release.countDown();

            assertThat(returned.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(kernel.crashReport()).isEmpty();
        }
    }

    @Test
    void aDpcThatHasNotReturnedForTenTimesTheLimitIsAViolationOnOrOffTheCpu() {
        try (Kernel kernel = boot("stuck-dpc", Duration.ofMillis(20), Duration.ofSeconds(30))) {
            CountDownLatch never = new CountDownLatch(1);
            KDpc stuck = kernel.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> awaitQuietly(never), null, "stuck");
            CrashReport report = BugCheckAssertions.assertBugCheck(
                    kernel, BugCheckCode.DPC_WATCHDOG_VIOLATION, () -> Ke.insertQueueDpc(stuck, null, null));
            assertThat(report.parameters().get(0)).isEqualTo(0L);
            assertThat(report.parameters().get(1))
                    .isGreaterThanOrEqualTo(DpcWatchdog.WALL_BACKSTOP * 20L); // ms ticks, truncated
            assertThat(report.driver()).isEqualTo("stuck");
            assertThat(report.message()).startsWith("a single DPC or ISR has not returned for ");
            assertThat(report.stack()).anyMatch(frame -> frame.contains("DpcWatchdogTest"));
        }
    }

    @Test
    void backToBackDpcsOffTheCpuPastTheCumulativeLimitAreNotAViolation() throws Exception {
        long limit = Duration.ofMillis(200).toNanos();
        try (Kernel kernel = boot("waiting-dpcs", Duration.ofSeconds(30), Duration.ofNanos(limit))) {
            AtomicBoolean flood = new AtomicBoolean(true);
            AtomicLong firstStarted = new AtomicLong(Processor.NONE);
            CountDownLatch drained = new CountDownLatch(1);
            KDpc[] self = new KDpc[1];
            self[0] = kernel.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> {
                        firstStarted.compareAndSet(Processor.NONE, kernel.nanoTime());
                        // Each DPC waits a little, on no CPU, and queues the next before it returns:
                        // the processor never drops below DISPATCH_LEVEL.
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                        if (flood.get()) {
                            Ke.insertQueueDpc(self[0], null, null);
                        } else {
                            drained.countDown();
                        }
                    },
                    null,
                    "flooder");
            Ke.insertQueueDpc(self[0], null, null);

            waitUntil(() -> firstStarted.get() != Processor.NONE
                    && kernel.dpcWatchdog().lastQuietLook() - firstStarted.get() > 2 * limit);
            flood.set(false);

            assertThat(drained.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(kernel.crashReport()).isEmpty();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS * 6, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited too long").isNegative();
            Thread.onSpinWait();
        }
    }
}
