package org.ndis4j.ndis;

/**
 * NDIS_MINIPORT_DRIVER_CHARACTERISTICS: the handlers NDIS calls, typed by the driver's adapter
 * context {@code A} (what the driver passed in its registration attributes). Optional handlers have
 * defaults.
 *
 * @param <A> the driver's adapter context class
 */
public interface MiniportDriver<A> {

    /**
     * MiniportInitializeEx. Runs at PASSIVE_LEVEL. Must call {@code NdisM.setMiniportAttributes}
     * with registration attributes (carrying the context) and then general attributes. Returns
     * SUCCESS, or a failure after undoing what it did.
     */
    NdisStatus initializeEx(NdisMiniportAdapterHandle miniportAdapterHandle, MiniportInitParameters initParameters);

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL; the adapter is Paused. Frees everything initialize took. */
    void haltEx(A adapterContext, NdisHaltAction haltAction);

    /**
     * MiniportPause. Runs at PASSIVE_LEVEL. Returns SUCCESS, or PENDING and calls
     * {@code NdisM.pauseComplete} later. Pause cannot fail.
     */
    default NdisStatus pause(A adapterContext) {
        return NdisStatus.SUCCESS;
    }

    /**
     * MiniportRestart. Runs at PASSIVE_LEVEL. Returns SUCCESS, a failure, or PENDING and calls
     * {@code NdisM.restartComplete} later.
     */
    default NdisStatus restart(A adapterContext) {
        return NdisStatus.SUCCESS;
    }

    /** MiniportShutdownEx. Runs at PASSIVE_LEVEL (or HIGH_LEVEL on a bug check in Windows). */
    default void shutdownEx(A adapterContext) {
    }

    /** MiniportDriverUnload. Runs at PASSIVE_LEVEL after every adapter was halted. */
    default void unload(DriverObject driverObject) {
    }

    // ==== interrupts ====================================================================
    // (section reserved for interrupts; keep additions between this marker and the next)


    // ==== OID requests ====================================================================
    // (section reserved for OID requests; keep additions between this marker and the next)


    // ==== data path ====================================================================
    // (section reserved for data path; keep additions between this marker and the next)


    // ==== upper edges ====================================================================
    // (section reserved for upper edges; keep additions between this marker and the next)

}
