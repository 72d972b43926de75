package org.ndis4j.ndis.protocol;

/**
 * The BindContext (or UnbindContext) NDIS passes to ProtocolBindAdapterEx and
 * ProtocolUnbindAdapterEx; the protocol hands it back to {@code Ndis.openAdapterEx}. Opaque.
 */
public abstract class NdisBindContext {

    /** For NDIS's engine, which makes every bind context. */
    protected NdisBindContext() {}
}
