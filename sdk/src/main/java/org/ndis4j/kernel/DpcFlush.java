package org.ndis4j.kernel;

/**
 * KeFlushQueuedDpcs: a marker DPC goes to the back of every processor's queue, and the caller waits
 * (on kernel events, through the scheduler seam) until each has run. A processor runs its DPCs in
 * order, so when its marker runs, every DPC queued there before it, and the one that was running,
 * have finished.
 */
final class DpcFlush {

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
        for (KEvent ran : markersRan) {
            // A crashed machine runs no DPC: the crash ends the wait.
            kernel.waitFor("KeFlushQueuedDpcs", ran, -1, WaitKind.WORK);
        }
    }
}
