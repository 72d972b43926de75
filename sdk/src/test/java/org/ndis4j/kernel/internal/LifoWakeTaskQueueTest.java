package org.ndis4j.kernel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LifoWakeTaskQueueTest {

    private static final long WAIT_SECONDS = 10;

    @Test
    void tasksComeOutFifoWithAddFirstInFront() throws Exception {
        LifoWakeTaskQueue queue = new LifoWakeTaskQueue();
        Runnable a = () -> {};
        Runnable b = () -> {};
        Runnable c = () -> {};
        queue.add(a);
        queue.add(b);
        queue.addFirst(c);
        assertThat(queue.size()).isEqualTo(3);
        assertThat(queue.take()).isSameAs(c);
        assertThat(queue.take()).isSameAs(a);
        assertThat(queue.take()).isSameAs(b);
        assertThat(queue.size()).isZero();
    }

    @Test
    void theThreadThatWentIdleLastIsWokenFirst() throws Exception {
        LifoWakeTaskQueue queue = new LifoWakeTaskQueue();
        AtomicReference<String> firstTaker = new AtomicReference<>();
        Thread early = taker(queue, "early", firstTaker);
        awaitParked(early);
        Thread late = taker(queue, "late", firstTaker);
        awaitParked(late);

        queue.add(() -> {});
        late.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(firstTaker.get()).isEqualTo("late");
        assertThat(early.isAlive()).isTrue(); // still idle: one task wakes one thread

        queue.add(() -> {});
        early.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(early.isAlive()).isFalse();
    }

    @Test
    void anInterruptedIdleThreadThrowsAndLeavesTheIdleList() throws Exception {
        LifoWakeTaskQueue queue = new LifoWakeTaskQueue();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        queue.take();
                        outcome.complete(null);
                    } catch (Throwable e) {
                        outcome.complete(e);
                    }
                },
                "interrupted");
        t.start();
        awaitParked(t);
        t.interrupt();
        assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);

        // The queue still works: a task added now is taken by a new thread.
        Runnable task = () -> {};
        queue.add(task);
        assertThat(queue.take()).isSameAs(task);
    }

    @Test
    void manyProducersAndTakersLoseNothing() throws Exception {
        LifoWakeTaskQueue queue = new LifoWakeTaskQueue();
        int producers = 3;
        int perProducer = 20_000;
        int takers = 4;
        ConcurrentLinkedQueue<Runnable> taken = new ConcurrentLinkedQueue<>();
        Runnable poison = () -> {};
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < takers; i++) {
            Thread t = new Thread(
                    () -> {
                        try {
                            for (; ; ) {
                                Runnable r = queue.take();
                                if (r == poison) {
                                    return;
                                }
                                taken.add(r);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "taker-" + i);
            t.start();
            threads.add(t);
        }
        List<Thread> producing = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Thread t = new Thread(
                    () -> {
                        for (int i = 0; i < perProducer; i++) {
                            queue.add(() -> {});
                        }
                    },
                    "producer-" + p);
            t.start();
            producing.add(t);
        }
        for (Thread t : producing) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        for (int i = 0; i < takers; i++) {
            queue.add(poison);
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(taken).hasSize(producers * perProducer);
        assertThat(queue.size()).isZero();
    }

    private static Thread taker(LifoWakeTaskQueue queue, String name, AtomicReference<String> firstTaker) {
        Thread t = new Thread(
                () -> {
                    try {
                        queue.take();
                        firstTaker.compareAndSet(null, Thread.currentThread().getName());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until {@code t} is parked in take (not a timing assertion: a bounded wait for a state). */
    private static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t.getName() + " did not park: " + t.getState());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
