package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.testing.BugCheckAssertions;
import org.ndis4j.testing.KernelExtension;

/**
 * The small public surface the layers above use instead of the kernel's internals: the scheduling
 * option, kernel events, the clock, and what the kernel knows about the calling thread.
 */
@ExtendWith(KernelExtension.class)
class KernelSurfaceTest {

    private static final long WAIT_SECONDS = 10;

    @Test
    void theSchedulerIsChosenByAnOptionOfTheConfig() {
        assertThat(KernelConfig.defaults().scheduling()).isEqualTo(KernelConfig.Scheduling.THREADED);
        assertThatThrownBy(() -> KernelConfig.defaults().withScheduling(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheduling");
        try (Kernel kernel = Kernel.boot(
                KernelConfig.defaults().withName("threaded").withScheduling(KernelConfig.Scheduling.THREADED))) {
            assertThat(kernel.config().scheduling()).isEqualTo(KernelConfig.Scheduling.THREADED);
        }
    }

    @Test
    void aKernelEventWakesItsWaiterAndStaysSetUntilReset(Kernel kernel) throws Exception {
        KEvent event = kernel.initializeEvent(false);
        assertThat(event.isSet()).isFalse();
        assertThat(event.await(1_000_000L)).isFalse(); // 1 ms: nobody sets it

        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "t", event::set);
        assertThat(event.await(TimeUnit.SECONDS.toNanos(WAIT_SECONDS))).isTrue();
        assertThat(event.isSet()).isTrue();
        assertThat(event.await(0)).isTrue(); // a notification event stays set
        event.reset();
        assertThat(event.isSet()).isFalse();
        assertThat(event.kernel()).isSameAs(kernel);
    }

    @Test
    void anActionOnTheClockRunsOnTheClockThreadUnlessCancelledFirst(Kernel kernel) throws Exception {
        CompletableFuture<ThreadKind> ran = new CompletableFuture<>();
        kernel.schedule(1_000_000L, () -> ran.complete(CurrentThread.kind()));
        assertThat(ran.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(ThreadKind.CLOCK);

        AtomicBoolean late = new AtomicBoolean();
        ClockTask far = kernel.schedule(TimeUnit.HOURS.toNanos(1), () -> late.set(true));
        assertThat(far.cancel()).isTrue();
        assertThat(late).isFalse();
    }

    @Test
    void theCurrentThreadKnowsItsKernelKindAndDriver(Kernel kernel) throws Exception {
        assertThat(CurrentThread.kind()).isEqualTo(ThreadKind.EXTERNAL);
        CurrentThread.enter(kernel);
        assertThat(CurrentThread.kernel()).isSameAs(kernel);

        String previous = CurrentThread.enterDriver("mydriver");
        try {
            assertThat(CurrentThread.driver()).isEqualTo("mydriver");
            CrashReport report =
                    BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.MANUALLY_INITIATED_CRASH, () -> {
                        throw Ke.bugCheckEx(kernel, 0xE2, 0, 0, 0, 0);
                    });
            assertThat(report.driver()).isEqualTo("mydriver"); // a crash blames the driver that runs
        } finally {
            CurrentThread.leaveDriver(previous);
        }
        assertThat(CurrentThread.driver()).isEqualTo(previous);

        CompletableFuture<ThreadKind> worker = new CompletableFuture<>();
        try (Kernel other = Kernel.boot(KernelConfig.defaults().withName("other"))) {
            other.queueWorkItem(WorkQueueType.DelayedWorkQueue, "t", () -> worker.complete(CurrentThread.kind()));
            assertThat(worker.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(ThreadKind.WORKER);
        }
    }
}
