package org.ndis4j.ndis.miniport;

import org.ndis4j.ndis.NdisM;

/**
 * MiniportSynchronizeInterrupt (MINIPORT_SYNCHRONIZE_INTERRUPT): code that shares device state with
 * MiniportInterrupt, run through {@link NdisM#synchronizeWithInterruptEx}.
 *
 * @param <C> the synchronize context
 */
@FunctionalInterface
public interface MiniportSynchronizeInterrupt<C> {

    /**
     * Runs at IRQL = DIRQL holding the interrupt lock: MiniportInterrupt does not run meanwhile on
     * any processor. Returns a driver-defined BOOLEAN that NdisMSynchronizeWithInterruptEx returns.
     */
    boolean run(C synchronizeContext);
}
