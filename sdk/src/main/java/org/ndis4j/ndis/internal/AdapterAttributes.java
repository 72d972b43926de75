package org.ndis4j.ndis.internal;

import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportAttributes;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * The attributes a miniport set with NdisMSetMiniportAttributes for one adapter: registration
 * attributes first (they carry the adapter context), then general attributes, only in
 * MiniportInitializeEx. Apart from {@link MiniportAdapter} because they are what initialization
 * produced, read by every later call into the driver, while the state machine only says when they
 * may be set.
 */
final class AdapterAttributes {

    private final MiniportAdapter adapter;
    /** Guards every field below. */
    private final Object lock = new Object();

    private Object context;
    private MiniportAdapterRegistrationAttributes registration;
    private MiniportAdapterGeneralAttributes general;

    AdapterAttributes(MiniportAdapter adapter) {
        this.adapter = adapter;
    }

    /** The driver's adapter context from its registration attributes, or null before they are set. */
    Object context() {
        synchronized (lock) {
            return context;
        }
    }

    /** The registration attributes, or null before they are set. */
    MiniportAdapterRegistrationAttributes registration() {
        synchronized (lock) {
            return registration;
        }
    }

    /** The general attributes, or null before they are set. */
    MiniportAdapterGeneralAttributes general() {
        synchronized (lock) {
            return general;
        }
    }

    /** NdisMSetMiniportAttributes while the adapter is {@code state}: see {@link MiniportAdapter#setAttributes}. */
    void set(AdapterState state, MiniportAttributes attributes) {
        synchronized (lock) {
            if (state != AdapterState.Initializing) {
                throw Verifier.violation(
                        adapter.kernel(),
                        Rule.Init_SetAttributes,
                        state.ordinal(),
                        0,
                        adapter.name() + ": NdisMSetMiniportAttributes outside MiniportInitializeEx (adapter is "
                                + state + ")");
            }
            if (attributes instanceof MiniportAdapterRegistrationAttributes r) {
                if (registration != null) {
                    throw Verifier.violation(
                            adapter.kernel(),
                            Rule.Init_SetAttributes,
                            0,
                            0,
                            adapter.name() + ": registration attributes set twice");
                }
                registration = r;
                context = r.miniportAdapterContext();
            } else if (attributes instanceof MiniportAdapterGeneralAttributes g) {
                if (registration == null) {
                    throw Verifier.violation(
                            adapter.kernel(),
                            Rule.Init_SetAttributes,
                            1,
                            0,
                            adapter.name() + ": general attributes before registration attributes");
                }
                general = g;
            }
        }
    }

    /** After MiniportInitializeEx succeeded: both registration and general attributes were set. */
    void checkSetByInitialize() {
        synchronized (lock) {
            if (registration == null || general == null) {
                throw Verifier.violation(
                        adapter.kernel(),
                        Rule.Init_SetAttributes,
                        registration == null ? 0 : 1,
                        0,
                        adapter.name() + ": MiniportInitializeEx succeeded without setting "
                                + (registration == null ? "registration" : "general") + " attributes");
            }
        }
    }
}
