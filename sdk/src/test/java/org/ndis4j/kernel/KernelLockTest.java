package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.BugCheckAssertions;
import org.ndis4j.testing.KernelExtension;

/**
 * The kernel's locks and stalls, which wait through the scheduler seam: a spinner is seen as a waiter,
 * a crash of the machine ends a spin and a stall, and a spin lock made outside every kernel still
 * locks.
 */
@ExtendWith(KernelExtension.class)
class KernelLockTest {

    @Test
    void aSpinningContenderIsAWaiterAndGetsTheLockWhenItIsLetGo(Kernel kernel) {
        KernelLock lock = kernel.newLock("test", KernelLock.Kind.SPIN);
        KEvent took = kernel.initializeEvent(false);
        lock.spinLock();
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "spinner", () -> {
            lock.spinLock();
            lock.unlock();
            took.set();
        });
        Await.until(kernel, "the worker spins for the lock", Await.DEFAULT_TIMEOUT, lock::hasWaiters);
        assertThat(took.isSet()).isFalse();

        lock.unlock();

        assertThat(kernel.waitFor("the spinner", took, -1, WaitKind.WORK)).isTrue();
        assertThat(lock.hasWaiters()).isFalse();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aCrashOfTheMachineEndsASpin(Kernel kernel) {
        KernelLock lock = kernel.newLock("never let go", KernelLock.Kind.SPIN);
        lock.spinLock();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        KEvent done = kernel.initializeEvent(false);
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "spinner", () -> {
            try {
                lock.spinLock();
            } catch (Throwable t) {
                ended.set(t);
            } finally {
                done.set();
            }
        });
        Await.until(kernel, "the worker spins for the lock", Await.DEFAULT_TIMEOUT, lock::hasWaiters);

        BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.MANUALLY_INITIATED_CRASH, () -> {
            throw Ke.bugCheckEx(kernel, 0xE2, 0, 0, 0, 0);
        });

        Await.until("the spin to end", done::isSet);
        assertThat(ended.get()).isInstanceOf(BugCheckException.class);
    }

    @Test
    void aCrashOfTheMachineEndsAStall(Kernel kernel) {
        AtomicReference<Throwable> ended = new AtomicReference<>();
        KEvent stalling = kernel.initializeEvent(false);
        KEvent done = kernel.initializeEvent(false);
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "staller", () -> {
            stalling.set();
            try {
                kernel.stall(60_000_000_000L); // a minute: only the crash ends it
            } catch (Throwable t) {
                ended.set(t);
            } finally {
                done.set();
            }
        });
        assertThat(kernel.waitFor("the stall to start", stalling, -1, WaitKind.WORK))
                .isTrue();

        BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.MANUALLY_INITIATED_CRASH, () -> {
            throw Ke.bugCheckEx(kernel, 0xE2, 0, 0, 0, 0);
        });

        Await.until("the stall to end", done::isSet);
        assertThat(ended.get()).isInstanceOf(BugCheckException.class);
    }

    @Test
    void aLockOfNoMachineStillExcludes() throws Exception {
        KernelLock lock = KernelLock.standalone();
        lock.spinLock();
        AtomicReference<Boolean> tried = new AtomicReference<>();
        Thread other = new Thread(() -> tried.set(lock.tryLock()));
        other.start();
        other.join(10_000);
        assertThat(tried.get()).isFalse();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
    }
}
