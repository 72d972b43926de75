package org.ndis4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.Kernel;

/** The kit's waits, outside {@link KernelExtension}: the condition, the deadline, the crash. */
class AwaitTest {

    @Test
    void aWaitEndsWhenItsConditionHolds() throws InterruptedException {
        AtomicBoolean flag = new AtomicBoolean();
        Thread setter = new Thread(() -> {
            flag.set(true);
            Await.changed();
        });
        setter.start();
        Await.until("the flag", flag::get);
        setter.join();
    }

    @Test
    void aConditionNobodySignalsIsLookedAtAgain() throws InterruptedException {
        AtomicBoolean flag = new AtomicBoolean();
        Thread setter = new Thread(() -> flag.set(true)); // no Await.changed(): the recheck sees it
        setter.start();
        Await.until("the flag", flag::get);
        setter.join();
    }

    @Test
    void aValueWaitReturnsTheFirstNonNull() {
        AtomicReference<String> box = new AtomicReference<>();
        new Thread(() -> {
                    box.set("there");
                    Await.changed();
                })
                .start();
        assertThat(Await.value("the value", box::get)).isEqualTo("there");
    }

    @Test
    void aWaitThatTimesOutSaysWhatItWaitedFor() {
        assertThatThrownBy(() -> Await.until("the impossible", Duration.ofMillis(50), () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 50 ms waiting for: the impossible");
    }

    @Test
    void aCrashOfTheNamedKernelEndsTheWaitWithTheBugCheck() throws InterruptedException {
        Kernel kernel = Kernel.boot();
        try {
            Thread crasher = new Thread(() -> {
                try {
                    throw kernel.bugCheck(BugCheckCode.MANUALLY_INITIATED_CRASH, 1, 2, 3, 4, null, "a test crash");
                } catch (RuntimeException expected) {
                    // thrown into this thread; the kernel recorded it
                }
            });
            crasher.start();
            assertThatThrownBy(() -> Await.until(kernel, "the impossible", Duration.ofMinutes(1), () -> false))
                    .isInstanceOf(BugCheckFailure.class)
                    .hasMessageStartingWith(
                            "MANUALLY_INITIATED_CRASH (0x000000E2): a test crash [driver (none), thread ");
            crasher.join();
        } finally {
            kernel.close();
        }
    }
}
