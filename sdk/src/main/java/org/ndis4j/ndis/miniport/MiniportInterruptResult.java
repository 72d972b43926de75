package org.ndis4j.ndis.miniport;

import org.ndis4j.ndis.NdisM;

/**
 * What MiniportInterrupt returns: its BOOLEAN result and its two out-parameters.
 *
 * <p>As in NDIS, a DPC is queued whatever {@code interruptRecognized} says: on the current
 * processor when {@code queueDefaultInterruptDpc} is true, otherwise on every processor set in
 * {@code targetProcessors} (bit n = processor n; 0 queues none). NDIS 6.20 drivers leave
 * {@code targetProcessors} 0 and call {@link NdisM#queueDpcEx} instead.
 *
 * @param interruptRecognized      TRUE when the device raised the interrupt ("ours")
 * @param queueDefaultInterruptDpc TRUE to run MiniportInterruptDPC on the current processor
 * @param targetProcessors         KAFFINITY of processors to queue the DPC on when
 *                                 {@code queueDefaultInterruptDpc} is false
 */
public record MiniportInterruptResult(
        boolean interruptRecognized, boolean queueDefaultInterruptDpc, long targetProcessors) {

    /** Not this device's interrupt (a shared line, or a spurious raise); no DPC. */
    public static final MiniportInterruptResult NOT_RECOGNIZED = new MiniportInterruptResult(false, false, 0);

    /** This device's interrupt; run the DPC on this processor. The common case. */
    public static final MiniportInterruptResult RECOGNIZED_QUEUE_DEFAULT_DPC =
            new MiniportInterruptResult(true, true, 0);

    /** This device's interrupt, handled entirely in the ISR; no DPC. */
    public static final MiniportInterruptResult RECOGNIZED_NO_DPC = new MiniportInterruptResult(true, false, 0);

    /** This device's interrupt; queue the DPC on the processors in {@code targetProcessors}. */
    public static MiniportInterruptResult recognized(long targetProcessors) {
        return new MiniportInterruptResult(true, false, targetProcessors);
    }
}
