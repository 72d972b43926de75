package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A processor kept busy in a DPC until the test lets it go: for tests of what queues behind a running DPC. */
public final class BusyProcessor {

    private static final long WAIT_SECONDS = 10;

    private BusyProcessor() {}

    /**
     * Keeps processor {@code cpu} busy in a DPC queued from the calling thread; returns once the DPC
     * runs. Counting down the returned latch lets the DPC return.
     */
    public static CountDownLatch occupy(Kernel kernel, int cpu) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        KDpc blocker = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> {
                    busy.countDown();
                    await(release);
                },
                null,
                "test");
        Ke.setTargetProcessorDpc(blocker, cpu);
        Ke.insertQueueDpc(blocker, null, null);
        assertThat(busy.await(WAIT_SECONDS, TimeUnit.SECONDS))
                .as("processor %d ran the blocking DPC", cpu)
                .isTrue();
        return release;
    }

    private static void await(CountDownLatch release) {
        try {
            if (!release.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the busy processor was not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
