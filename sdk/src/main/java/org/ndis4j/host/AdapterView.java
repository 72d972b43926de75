package org.ndis4j.host;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.ndis4j.ndis.filter.FilterModuleState;
import org.ndis4j.ndis.internal.FilterModule;
import org.ndis4j.ndis.internal.Handles;
import org.ndis4j.ndis.internal.MiniportAdapter;
import org.ndis4j.ndis.internal.OidBroker;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;

/**
 * What a host may read about one adapter, and its status indications as they happen: the adapter
 * state, the link state NDIS saw last, the driver's context, the filter modules over it and the NBLs
 * outstanding on its data path. Drivers hold the opaque handle; hosts look through this view.
 *
 * <pre>
 *   AdapterView view = AdapterView.of(adapter);
 *   view.state();                                   // Running
 *   view.addStatusListener(s -&gt; ...);               // every NdisMIndicateStatusEx NDIS passes up
 * </pre>
 */
public final class AdapterView {

    private final MiniportAdapter adapter;

    private AdapterView(MiniportAdapter adapter) {
        this.adapter = adapter;
    }

    /** A view of {@code adapter}. */
    public static AdapterView of(NdisMiniportAdapterHandle adapter) {
        return new AdapterView(Handles.adapter(adapter, "AdapterView.of"));
    }

    /** The adapter's state in the NDIS 6 miniport state machine. */
    public AdapterState state() {
        return adapter.state();
    }

    /** The link state NDIS last saw (initial general attributes, then indications). */
    public NdisLinkState linkState() {
        return adapter.linkState();
    }

    /** The driver's adapter context from its registration attributes, or null before they are set. */
    public Object adapterContext() {
        return adapter.context();
    }

    /** The miniport driver that runs the adapter. */
    public NdisMiniportDriverHandle miniportDriver() {
        return adapter.driver();
    }

    /** The filter modules over the adapter now, bottom first. */
    public List<NdisFilterModuleHandle> filters() {
        return new ArrayList<>(adapter.stack().filters());
    }

    /** The states of the filter modules over the adapter now, bottom first. */
    public List<FilterModuleState> filterStates() {
        return adapter.stack().filters().stream().map(FilterModule::state).toList();
    }

    /**
     * The protocol bindings over the adapter now: those NDIS indicates to, whose
     * ProtocolBindAdapterEx has returned SUCCESS (a binding is not in the stack while its protocol is
     * still binding) and that are not closed.
     */
    public List<NdisBindingHandle> bindings() {
        return new ArrayList<>(adapter.stack().bindings());
    }

    /** True while halt is done with MiniportHaltEx but waits for this adapter's work items. */
    public boolean isHaltWaitingForWorkItems() {
        return adapter.isHaltWaitingForWorkItems();
    }

    /** How many check-for-hang ticks NDIS ran on the adapter (each calls MiniportCheckForHangEx, if any). */
    public int checkForHangCalls() {
        return adapter.reset().checksMade();
    }

    /** How many resets NDIS started on the adapter (check-for-hang, or an OID or send it found stuck). */
    public int resetsStarted() {
        return adapter.reset().resetsStarted();
    }

    /** The status the last reset ended with (MiniportResetEx or NdisMResetComplete), or null. */
    public NdisStatus lastResetStatus() {
        return adapter.reset().lastResetStatus();
    }

    /** True while a reset of the adapter is in progress. */
    public boolean isResetting() {
        return adapter.reset().isResetting();
    }

    /** True once NDIS told the miniport that its NIC was surprise-removed. */
    public boolean isSurpriseRemoved() {
        return adapter.isSurpriseRemoved();
    }

    /** The OID requests issued on the adapter so far: how many, who answered them, how many failed. */
    public OidRequestCounts oidRequests() {
        OidBroker oids = adapter.oidBroker();
        return new OidRequestCounts(oids.requests(), oids.answeredByNdis(), oids.completedByMiniport(), oids.failed());
    }

    /** NBLs sent to the miniport and not completed. */
    public int sendsOutstanding() {
        return adapter.dataPath().sendsOutstanding();
    }

    /** NBLs the miniport indicated and NDIS has not returned (an indication in progress included). */
    public int receivesOutstanding() {
        return adapter.dataPath().receivesOutstanding();
    }

    /**
     * Observes the status indications NDIS passes up from the miniport (duplicate link states
     * suppressed), on the indicating thread, before the stack sees them.
     */
    public void addStatusListener(Consumer<NdisStatusIndication> listener) {
        adapter.addStatusListener(listener);
    }
}
