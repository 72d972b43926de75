package org.ndis4j.ndis.miniport;

/** NDIS_SHUTDOWN_ACTION: why NDIS calls MiniportShutdownEx. */
public enum NdisShutdownAction {
    /** The system is shutting down: PASSIVE_LEVEL, NdisXxx calls allowed. */
    NdisShutdownPowerOff,
    /**
     * The system bug-checked: HIGH_LEVEL, only functions callable at any IRQL (register access);
     * called only for adapters with NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK.
     */
    NdisShutdownBugCheck
}
