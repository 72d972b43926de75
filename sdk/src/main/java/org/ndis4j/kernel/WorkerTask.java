package org.ndis4j.kernel;

/**
 * Work for a system worker thread that names its own driver, so queuing it allocates nothing (an
 * NDIS I/O work item's preallocated runner).
 */
public interface WorkerTask extends Runnable {

    /** The driver whose code runs, for crash reports. */
    String driver();
}
