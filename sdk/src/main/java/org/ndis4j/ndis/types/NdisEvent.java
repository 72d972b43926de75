package org.ndis4j.ndis.types;

/** NDIS_EVENT (NdisInitializeEvent): a notification event, waited on at PASSIVE_LEVEL. Opaque. */
public abstract class NdisEvent {

    /** For NDIS's engine, which makes every event. */
    protected NdisEvent() {}

    /** True while the event is set. For tests and diagnostics. */
    public abstract boolean isSignaled();
}
