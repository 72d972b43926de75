package org.ndis4j.ndis.miniport;

import org.ndis4j.ndis.NdisM;

/**
 * NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS for a line-based interrupt: the handlers NDIS calls for
 * one interrupt, typed by the driver's interrupt context {@code C} (the MiniportInterruptContext
 * passed to {@link NdisM#registerInterruptEx}). MiniportInterrupt and MiniportInterruptDPC are
 * required; MiniportDisableInterruptEx and MiniportEnableInterruptEx have empty defaults.
 *
 * <pre>
 *   device raises the line ──► MiniportInterrupt (DIRQL, interrupt lock held)
 *                                 │ reads and acknowledges the cause register
 *                                 │ returns recognized + "queue the default DPC"
 *                                 ▼
 *                              MiniportInterruptDPC (DISPATCH_LEVEL, same processor)
 *                                 │ handles at most MaxNblsToIndicate receives
 *                                 │ MoreNblsPending = true  ──► NDIS runs the DPC again
 *                                 └ otherwise re-enables the device's interrupts
 * </pre>
 *
 * @param <C> the driver's interrupt context class
 */
public interface InterruptHandlers<C> {

    /**
     * MiniportInterrupt (MINIPORT_ISR). Runs at IRQL = DIRQL on a processor, holding the interrupt
     * lock (so no {@link NdisM#synchronizeWithInterruptEx} function runs meanwhile). Reads and
     * acknowledges the device's interrupt cause, does as little as it can, and says whether the
     * interrupt was the device's and where its DPC should run. Must not return null.
     *
     * @return the C BOOLEAN return value and the two out-parameters, as one record; the constants
     *         {@link MiniportInterruptResult#NOT_RECOGNIZED} and
     *         {@link MiniportInterruptResult#RECOGNIZED_QUEUE_DEFAULT_DPC} cover the usual cases
     *         without allocating
     */
    MiniportInterruptResult interrupt(C miniportInterruptContext);

    /**
     * MiniportInterruptDPC (MINIPORT_INTERRUPT_DPC). Runs at IRQL = DISPATCH_LEVEL on the processor
     * NDIS queued it on. {@code miniportDpcContext} is null for the DPC MiniportInterrupt asked for,
     * or the context given to {@link NdisM#queueDpcEx}. {@code receiveThrottleParameters} carries
     * MaxNblsToIndicate in and MoreNblsPending out; it is valid only during this call.
     */
    void interruptDpc(
            C miniportInterruptContext,
            Object miniportDpcContext,
            NdisReceiveThrottleParameters receiveThrottleParameters);

    /**
     * MiniportDisableInterruptEx. Runs at IRQL = DIRQL. Windows calls it only for diagnostics;
     * ndis4j's NDIS does not call it. Default: nothing.
     */
    default void disableInterruptEx(C miniportInterruptContext) {}

    /**
     * MiniportEnableInterruptEx. Runs at IRQL = DIRQL. Windows calls it only for diagnostics;
     * ndis4j's NDIS does not call it. Default: nothing.
     */
    default void enableInterruptEx(C miniportInterruptContext) {}
}
