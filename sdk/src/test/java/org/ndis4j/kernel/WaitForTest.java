package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.testing.BugCheckAssertions;
import org.ndis4j.testing.KernelExtension;

/**
 * Kernel.waitFor, the one way NDIS's engine, the PnP manager and hosts wait: through the scheduler
 * seam, ended by the event, by the time-out, or at once by a crash of the machine.
 */
@ExtendWith(KernelExtension.class)
class WaitForTest {

    @Test
    void returnsTrueWhenTheEventIsSet(Kernel kernel) {
        KEvent event = kernel.initializeEvent(false);
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, null, event::set);

        assertThat(kernel.waitFor("the work item", event, -1, WaitKind.WORK)).isTrue();
    }

    @Test
    void returnsFalseWhenTheTimeOutPasses(Kernel kernel) {
        KEvent never = kernel.initializeEvent(false);

        assertThat(kernel.waitFor("nothing", never, 20_000_000L, WaitKind.WORK)).isFalse();
    }

    @Test
    void aCrashOfTheMachineEndsAWaitWithNoTimeOutByThrowingTheCrash(Kernel kernel) throws Exception {
        KEvent never = kernel.initializeEvent(false);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                kernel.waitFor("an event nobody sets", never, -1, WaitKind.WATCHDOG);
            } catch (Throwable t) {
                ended.set(t);
            }
        });
        waiter.start();
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "crasher", () -> {
            throw Ke.bugCheckEx(kernel, 0xE2, 1, 2, 3, 4);
        });
        BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.MANUALLY_INITIATED_CRASH, () -> {});

        waiter.join(10_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(ended.get()).isInstanceOf(BugCheckException.class);
        assertThat(((BugCheckException) ended.get()).report().code()).isEqualTo(BugCheckCode.MANUALLY_INITIATED_CRASH);
    }

    @Test
    void aWaitOnACrashedMachineThrowsAtOnce(Kernel kernel) {
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "crasher", () -> {
            throw Ke.bugCheckEx(kernel, 0xE2, 0, 0, 0, 0);
        });
        BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.MANUALLY_INITIATED_CRASH, () -> {});

        assertThatThrownBy(() -> kernel.waitFor("anything", kernel.initializeEvent(true), -1, WaitKind.WORK))
                .isInstanceOf(BugCheckException.class);
    }
}
