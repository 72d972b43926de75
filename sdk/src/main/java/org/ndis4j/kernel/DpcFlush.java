package org.ndis4j.kernel;

/**
 * KeFlushQueuedDpcs: a marker DPC goes to the back of every processor's queue, and the caller waits
 * (on kernel events, through the scheduler seam) until each has run. A processor runs its DPCs in
 * order, so when its marker runs, every DPC queued there before it, and the one that was running,
 * have finished.
 */
final class DpcFlush {

    /** How long one wait lasts before the caller looks whether the machine crashed meanwhile. */
    private static final long SLICE_NANOS = 100_000_000L;

    private DpcFlush() {}

    static void flush(Kernel kernel, int processors) {
        kernel.checkAlive();
        KEvent[] markersRan = new KEvent[processors];
        for (int cpu = 0; cpu < processors; cpu++) {
            KEvent ran = kernel.initializeEvent(false);
            KDpc marker =
                    kernel.initializeDpc((KDpc dpc, KEvent event, Object a1, Object a2) -> event.set(), ran, null);
            marker.setTargetProcessor(cpu);
            markersRan[cpu] = ran;
            kernel.insertQueueDpc(marker, null, null);
        }
        try {
            for (KEvent ran : markersRan) {
                while (!ran.await(SLICE_NANOS)) {
                    kernel.checkAlive(); // a crashed machine runs no DPC: the crash ends the wait
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while flushing the DPC queues of " + kernel.name(), e);
        }
    }
}
