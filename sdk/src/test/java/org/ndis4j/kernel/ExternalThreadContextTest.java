package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.testing.KernelExtension;

/**
 * The contexts of threads from outside the kernel, which {@link ThreadContext#current} finds through
 * an array indexed by thread id: each thread sees its own IRQL and driver, also when two threads'
 * ids share a slot and take it from each other, and {@link CurrentThread#resetExternal} forgets what
 * the cached context carried.
 */
@ExtendWith(KernelExtension.class)
class ExternalThreadContextTest {

    private static final long WAIT_SECONDS = 30;

    @Test
    void twoThreadsWhoseIdsShareASlotEachKeepTheirOwnIrqlAndDriver(Kernel kernel) throws Exception {
        CountDownLatch aRaised = new CountDownLatch(1);
        CountDownLatch bLooked = new CountDownLatch(1);
        AtomicReference<String> aSaw = new AtomicReference<>();
        AtomicReference<String> bSaw = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Thread a = new Thread(() -> run(failure, () -> {
            CurrentThread.enter(kernel);
            Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
            String previous = CurrentThread.enterDriver("driver-a");
            aRaised.countDown();
            await(bLooked); // b has looked itself up in the shared slot meanwhile
            aSaw.set(Ke.getCurrentIrql() + " " + CurrentThread.driver());
            CurrentThread.leaveDriver(previous);
            Ke.lowerIrql(old);
        }));
        Thread b = threadWithTheSameSlotAs(
                a,
                () -> run(failure, () -> {
                    await(aRaised);
                    bSaw.set(Ke.getCurrentIrql() + " " + CurrentThread.driver());
                    bLooked.countDown();
                }));
        assertThat(slot(b)).isEqualTo(slot(a));

        a.start();
        b.start();
        a.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        b.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

        assertThat(failure.get()).isNull();
        assertThat(bSaw.get()).isEqualTo("PASSIVE_LEVEL null");
        assertThat(aSaw.get()).isEqualTo("DISPATCH_LEVEL driver-a");
    }

    @Test
    void resetExternalForgetsTheCachedContext(Kernel kernel) {
        CurrentThread.enter(kernel);
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        String previous = CurrentThread.enterDriver("left-over");
        assertThat(CurrentThread.driver()).isEqualTo("left-over");

        CurrentThread.resetExternal();

        assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(CurrentThread.driver()).isNull();
        assertThat(CurrentThread.kernel()).isNull();
        assertThat(old).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(previous).isNull();
    }

    @Test
    void enterReturnsTheCallersIrql(Kernel kernel) {
        assertThat(CurrentThread.enter(kernel)).isEqualTo(Irql.PASSIVE_LEVEL);
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            assertThat(CurrentThread.enter(kernel)).isEqualTo(Irql.DISPATCH_LEVEL);
            assertThat(CurrentThread.kernel()).isSameAs(kernel);
        } finally {
            Ke.lowerIrql(old);
        }
    }

    /** An unstarted thread whose id falls in {@code other}'s slot (ids come in order, so one soon does). */
    private static Thread threadWithTheSameSlotAs(Thread other, Runnable body) {
        for (int i = 0; i < 100 * ThreadContext.EXTERNAL_SLOTS; i++) {
            Thread t = new Thread(body); // the ones not taken are never started: nothing to clean up
            if (slot(t) == slot(other)) {
                return t;
            }
        }
        throw new AssertionError("no new thread's id fell in slot " + slot(other));
    }

    @SuppressWarnings("deprecation") // Thread.getId: ThreadContext keys its slots by it on Java 17
    private static long slot(Thread t) {
        return t.getId() % ThreadContext.EXTERNAL_SLOTS;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void run(AtomicReference<Throwable> failure, Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        } finally {
            CurrentThread.resetExternal();
        }
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the other thread did not get there within " + WAIT_SECONDS + " s");
        }
    }
}
