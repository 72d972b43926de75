package org.ndis4j.kernel;

/**
 * Work for a processor that carries its own IRQL and driver, so queuing it allocates nothing: a DPC
 * object, or an interrupt's preallocated ISR runner.
 */
public interface ProcessorTask extends Runnable {

    /** DISPATCH_LEVEL for a DPC, DIRQL for an ISR (which goes before queued DPCs). */
    Irql irql();

    /** The driver whose code runs, for crash reports. */
    String driver();
}
