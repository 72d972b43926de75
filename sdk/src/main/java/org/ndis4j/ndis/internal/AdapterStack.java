package org.ndis4j.ndis.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ndis4j.ndis.filter.FilterAttachParameters;
import org.ndis4j.ndis.filter.FilterModuleState;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * The driver stack NDIS builds over one adapter: the miniport at the bottom, filter modules above it
 * (the first registered sits lowest), protocol bindings on top. It attaches, restarts, pauses and
 * detaches the filter modules, binds and unbinds protocols, and routes status indications up.
 *
 * <pre>
 *   protocol binding  protocol binding        ▲ status, receives      │ sends, OID requests
 *   ────────────────────────────────          │                       ▼
 *   filter module  (layer 1)
 *   filter module  (layer 0)
 *   ────────────────────────────────
 *   miniport adapter
 * </pre>
 * Lifecycle methods run at PASSIVE_LEVEL on the PnP thread; NDIS's watchdog times each call into a
 * filter or protocol driver ({@link NdisWatchdog}).
 */
public final class AdapterStack {

    private final MiniportAdapter adapter;
    /**
     * Bottom first. Immutable lists, replaced whole on the PnP thread when the stack changes, so the
     * data path reads a consistent snapshot with one volatile read and no copy.
     */
    private volatile List<FilterModule> filters = List.of();

    private volatile List<Binding> bindings = List.of();

    /**
     * Guards changes to {@link #bindings}, the binds in progress ({@link #opening}) and the delivery of
     * status indications to protocols: a bind takes its parameters, and later joins the stack, in
     * step with the indications, so that none is lost between the two and none reaches a binding
     * before its ProtocolBindAdapterEx returned.
     */
    private final Object protocolEdge = new Object();

    /** Binds whose ProtocolBindAdapterEx is running (Opening); they hold the indications meanwhile. */
    private final List<BindContext> opening = new ArrayList<>();

    private final StackOidPath oids = new StackOidPath(this);
    private final StackDataPath data = new StackDataPath(this);

    AdapterStack(MiniportAdapter adapter) {
        this.adapter = adapter;
    }

    /** NBLs across this stack. */
    public StackDataPath data() {
        return data;
    }

    /** OID requests across this stack. */
    public StackOidPath oids() {
        return oids;
    }

    String adapterName() {
        return adapter.name();
    }

    private NdisWatchdog watchdog() {
        return NdisWatchdog.of(adapter.kernel());
    }

    MiniportAdapter adapter() {
        return adapter;
    }

    /** The filter modules now, bottom first (an immutable snapshot). */
    public List<FilterModule> filters() {
        return filters;
    }

    /**
     * The protocol bindings NDIS indicates to now (an immutable snapshot): those whose
     * ProtocolBindAdapterEx returned SUCCESS and that are not closed.
     */
    public List<Binding> bindings() {
        return bindings;
    }

    private static <T> List<T> with(List<T> list, T element) {
        List<T> copy = new ArrayList<>(list);
        copy.add(element);
        return List.copyOf(copy);
    }

    private static <T> List<T> without(List<T> list, T element) {
        List<T> copy = new ArrayList<>(list);
        boolean removed = copy.remove(element);
        return removed ? List.copyOf(copy) : list;
    }

    // ---- filters ----------------------------------------------------------------------------

    /** FilterAttach for a filter driver on top of the modules already here; the module starts Paused. */
    void attach(FilterDriverBlock driver) {
        if (filters.stream().anyMatch(m -> m.filterDriver() == driver)) {
            return; // attached here already (the filter registered while this device was being added)
        }
        FilterModule module = new FilterModule(driver, this);
        module.setState(FilterModuleState.Attaching);
        FilterAttachParameters parameters =
                new FilterAttachParameters(adapterName(), filters.size(), adapter.linkState());
        NdisStatus status = watchdog()
                .call(
                        WatchedOperation.FILTER_ATTACH,
                        module.name(),
                        driver.driverName(),
                        0,
                        () -> DriverCalls.call(
                                driver.driverName(),
                                () -> driver.characteristics()
                                        .attach(module, driver.filterDriverContext(), parameters)));
        if (!status.isSuccess()) {
            module.setState(FilterModuleState.Detached);
            Trace.log("%s: FilterAttach failed with %s; the filter is not in the stack", module.name(), status);
            return;
        }
        if (module.context() == null) {
            throw Verifier.violation(
                    adapter.kernel(),
                    Rule.Init_SetAttributes,
                    2,
                    0,
                    module.name() + ": FilterAttach succeeded without NdisFSetAttributes");
        }
        module.setState(FilterModuleState.Paused);
        filters = with(filters, module);
        Trace.log("%s: attached at layer %d", module.name(), filters.size() - 1);
    }

    /** FilterRestart, bottom up, after the miniport restarted. */
    void restartFilters() {
        for (FilterModule module : filters) {
            module.setState(FilterModuleState.Restarting);
            NdisStatus status = watchdog()
                    .call(
                            WatchedOperation.FILTER_RESTART,
                            module.name(),
                            module.driverName(),
                            0,
                            () -> DriverCalls.call(
                                    module.driverName(),
                                    () -> module.filterDriver()
                                            .characteristics()
                                            .restart(module.context())));
            module.setState(status.isSuccess() ? FilterModuleState.Running : FilterModuleState.Paused);
            Trace.log("%s: %s", module.name(), module.state());
        }
    }

    /** FilterPause, top down, before the miniport pauses. Pause cannot fail. */
    void pauseFilters() {
        for (FilterModule module : topDown(filters)) {
            if (module.state() != FilterModuleState.Running) {
                continue;
            }
            module.setState(FilterModuleState.Pausing);
            NdisStatus status = watchdog()
                    .call(
                            WatchedOperation.FILTER_PAUSE,
                            module.name(),
                            module.driverName(),
                            0,
                            () -> DriverCalls.call(
                                    module.driverName(),
                                    () -> module.filterDriver()
                                            .characteristics()
                                            .pause(module.context())));
            if (!status.isSuccess()) {
                throw Verifier.violation(
                        adapter.kernel(),
                        Rule.Adapter_StateTransition,
                        status.code(),
                        0,
                        module.name() + ": FilterPause returned " + status + "; pause cannot fail");
            }
            module.setState(FilterModuleState.Paused);
            Trace.log("%s: Paused", module.name());
        }
    }

    /** FilterDetach, top down, with every module paused. */
    void detachFilters() {
        for (FilterModule module : topDown(filters)) {
            detach(module);
        }
    }

    /** FilterDetach of one module (its driver is going away). */
    void detach(FilterModule module) {
        watchdog()
                .run(
                        WatchedOperation.FILTER_DETACH,
                        module.name(),
                        module.driverName(),
                        0,
                        () -> DriverCalls.run(
                                module.driverName(),
                                () -> module.filterDriver().characteristics().detach(module.context())));
        module.setState(FilterModuleState.Detached);
        filters = without(filters, module);
        Trace.log("%s: detached", module.name());
    }

    // ---- protocols --------------------------------------------------------------------------

    /**
     * ProtocolBindAdapterEx for one protocol; the protocol opens the adapter inside it. The binding
     * is Opening until ProtocolBindAdapterEx returns: NDIS indicates nothing to it (receives nor
     * status) before then, as NdisCompleteBindAdapterEx's page says ("the protocol driver is ready to
     * accept receive indications" once the bind completes). Status indications NDIS passes up
     * meanwhile are held, and delivered in order when the bind completes, before any later one; a
     * link state equal to the one the protocol already knows is not repeated. So the protocol learns
     * every link change after its NDIS_BIND_PARAMETERS, and the binding handle NdisOpenAdapterEx
     * returned is in the protocol's hands before its first indication.
     */
    void bind(ProtocolBlock protocol) {
        if (protocol.characteristics() == null || bindings.stream().anyMatch(b -> b.protocol() == protocol)) {
            return; // binds nothing, or is bound here already
        }
        BindContext context = new BindContext(protocol, this);
        NdisBindParameters parameters;
        synchronized (protocolEdge) {
            parameters = new NdisBindParameters(
                    adapterName(),
                    adapter.ifIndex(),
                    adapter.generalAttributes().mtuSize(),
                    adapter.generalAttributes().currentMacAddress(),
                    adapter.linkState());
            context.linkStateKnown = parameters.linkState();
            opening.add(context);
        }
        NdisStatus status = NdisStatus.FAILURE;
        try {
            status = watchdog()
                    .call(
                            WatchedOperation.PROTOCOL_BIND,
                            protocol.name() + " on " + adapterName(),
                            protocol.driverName(),
                            0,
                            () -> DriverCalls.call(
                                    protocol.driverName(),
                                    () -> protocol.characteristics()
                                            .bindAdapterEx(protocol.protocolDriverContext(), context, parameters)));
        } finally {
            completeBind(context, status);
        }
        if (status.isSuccess() && context.opened == null) {
            throw Verifier.violation(
                    protocol.kernel(),
                    Rule.Handle_Invalid,
                    0,
                    0,
                    protocol.name() + ": ProtocolBindAdapterEx returned SUCCESS without NdisOpenAdapterEx");
        }
        Trace.log("%s: ProtocolBindAdapterEx -> %s", protocol.name(), status);
    }

    /**
     * The bind is over: a successful one joins the stack (receives and status reach it from now on)
     * and gets the status indications it missed while Opening.
     */
    private void completeBind(BindContext context, NdisStatus status) {
        synchronized (protocolEdge) {
            opening.remove(context);
            Binding binding = context.opened;
            if (!status.isSuccess() || binding == null || binding.isClosed()) {
                return;
            }
            bindings = with(bindings, binding);
            for (NdisStatusIndication held : context.takeHeld()) {
                if (context.isNews(held)) {
                    deliverTo(binding, held);
                }
            }
        }
    }

    /** NdisOpenAdapterEx, from inside ProtocolBindAdapterEx. The binding stays Opening until the bind returns. */
    Binding open(BindContext context, Object protocolBindingContext) {
        if (context.stack != this || context.opened != null) {
            throw Verifier.violation(
                    context.protocol.kernel(),
                    Rule.Handle_Invalid,
                    0,
                    0,
                    "NdisOpenAdapterEx with a bind context that is not pending (" + context + ")");
        }
        Binding binding = new Binding(context.protocol, protocolBindingContext, this);
        context.opened = binding;
        return binding;
    }

    /** ProtocolUnbindAdapterEx for every binding, newest first. */
    void unbindAll() {
        for (Binding binding : topDown(bindings)) {
            unbind(binding);
        }
    }

    void unbind(Binding binding) {
        BindContext context = new BindContext(binding.protocol(), this);
        watchdog()
                .call(
                        WatchedOperation.PROTOCOL_UNBIND,
                        binding.name(),
                        binding.driverName(),
                        0,
                        () -> DriverCalls.call(
                                binding.driverName(),
                                () -> binding.protocol()
                                        .characteristics()
                                        .unbindAdapterEx(context, binding.protocolBindingContext())));
        if (!binding.isClosed()) {
            throw Verifier.violation(
                    binding.kernel(),
                    Rule.Handle_Invalid,
                    1,
                    0,
                    binding.name() + ": ProtocolUnbindAdapterEx returned without NdisCloseAdapterEx");
        }
        Trace.log("%s: unbound", binding.name());
    }

    /**
     * NdisCloseAdapterEx (from ProtocolUnbindAdapterEx, or from a ProtocolBindAdapterEx that gives up).
     * Returns once no indication to the binding is in flight: after it, NDIS indicates nothing to it.
     */
    public void close(Binding binding) {
        synchronized (protocolEdge) {
            List<Binding> remaining = without(bindings, binding);
            boolean isOpening = opening.stream().anyMatch(c -> c.opened == binding);
            if (binding.isClosed() || (remaining == bindings && !isOpening)) {
                throw Verifier.violation(
                        binding.kernel(),
                        Rule.Handle_Invalid,
                        2,
                        0,
                        "NdisCloseAdapterEx on a binding that is not open (" + binding.name() + ")");
            }
            bindings = remaining; // no new receive indication finds it
        }
        binding.close(); // waits for the indications in flight, outside the lock status deliveries take
    }

    // ---- status -----------------------------------------------------------------------------

    /** A status indication from the miniport: to the lowest filter that takes status, or the protocols. */
    void indicateFromMiniport(NdisStatusIndication indication) {
        deliverAbove(-1, indication);
    }

    /** NdisFIndicateStatus: from a filter module to the next one up, or the protocols. */
    public void indicateFromFilter(FilterModule module, NdisStatusIndication indication) {
        deliverAbove(module.layer("NdisFIndicateStatus"), indication);
    }

    private void deliverAbove(int layer, NdisStatusIndication indication) {
        FilterModule module = StackWalk.above(filters, layer, FilterHandler.STATUS);
        if (module != null) {
            // The filter passes it on (or not) with NdisFIndicateStatus.
            DriverCalls.run(
                    module.driverName(),
                    () -> module.filterDriver().characteristics().status(module.context(), indication));
            return;
        }
        synchronized (protocolEdge) {
            for (Binding binding : bindings) {
                deliverTo(binding, indication);
            }
            for (BindContext bind : opening) {
                bind.hold(indication);
            }
        }
    }

    private static void deliverTo(Binding binding, NdisStatusIndication indication) {
        DriverCalls.run(
                binding.driverName(),
                () -> binding.protocol().characteristics().statusEx(binding.protocolBindingContext(), indication));
    }

    private static <T> List<T> topDown(List<T> bottomFirst) {
        List<T> copy = new ArrayList<>(bottomFirst);
        Collections.reverse(copy);
        return copy;
    }
}
