package org.ndis4j.ndis;

import java.util.function.Consumer;

/**
 * MiniportAdapterHandle: NDIS's handle for one adapter, passed to MiniportInitializeEx and to every
 * NdisMXxx call the miniport makes for that adapter. Tests and upper layers also read the adapter's
 * state and observe its status indications through it.
 */
public final class NdisMiniportAdapterHandle extends NdisHandle {

    private final MiniportAdapter adapter;

    NdisMiniportAdapterHandle(NdisMiniportDriverHandle driver, String deviceName, MiniportAdapterFactory factory) {
        super(driver.kernel(), HandleKind.MINIPORT_ADAPTER, driver.name() + "/" + deviceName);
        this.adapter = factory.create(this);
    }

    /** Builds the adapter behind a handle (the two refer to each other). */
    @FunctionalInterface
    interface MiniportAdapterFactory {
        MiniportAdapter create(NdisMiniportAdapterHandle handle);
    }

    @Override
    public String driverName() {
        return adapter.driver().driverName();
    }

    public AdapterState state() {
        return adapter.state();
    }

    /** The driver's adapter context from its registration attributes, or null before they are set. */
    public Object adapterContext() {
        return adapter.context();
    }

    /** The link state NDIS last saw (initial general attributes, then indications). */
    public NdisLinkState linkState() {
        return adapter.linkState();
    }

    public int ifIndex() {
        return adapter.ifIndex();
    }

    /** Observes status indications that NDIS passes up (duplicates suppressed), on the indicating thread. */
    public void addStatusListener(Consumer<NdisStatusIndication> listener) {
        adapter.addStatusListener(listener);
    }

    /** True while halt is done with MiniportHaltEx but waits for this adapter's work items. */
    public boolean isHaltWaitingForWorkItems() {
        return adapter.isHaltWaitingForWorkItems();
    }

    MiniportAdapter adapter() {
        return adapter;
    }
}
