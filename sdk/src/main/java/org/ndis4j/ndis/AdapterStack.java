package org.ndis4j.ndis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * Lifecycle methods run at PASSIVE_LEVEL on the PnP thread.
 */
final class AdapterStack {

    private final MiniportAdapter adapter;
    /**
     * Bottom first. Immutable lists, replaced whole on the PnP thread when the stack changes, so the
     * data path reads a consistent snapshot with one volatile read and no copy.
     */
    private volatile List<NdisFilterModuleHandle> filters = List.of();

    private volatile List<NdisBindingHandle> bindings = List.of();

    private final StackOidPath oids = new StackOidPath(this);
    private final StackDataPath data = new StackDataPath(this);
    /** Whether the stack is the miniport's upper edge yet (from the first filter or binding on). */
    private boolean dataPathAttached;

    AdapterStack(MiniportAdapter adapter) {
        this.adapter = adapter;
    }

    /** NBLs across this stack. */
    StackDataPath data() {
        return data;
    }

    /** Becomes the miniport's data-path upper edge; once. Runs on the PnP thread. */
    private void attachDataPath() {
        if (!dataPathAttached) {
            adapter.dataPath().attachUpperEdge(data);
            dataPathAttached = true;
        }
    }

    /** OID requests across this stack. */
    StackOidPath oids() {
        return oids;
    }

    String adapterName() {
        return adapter.handle().name();
    }

    NdisMiniportAdapterHandle adapterHandle() {
        return adapter.handle();
    }

    /** The filter modules now, bottom first (an immutable snapshot). */
    List<NdisFilterModuleHandle> filters() {
        return filters;
    }

    /** The protocol bindings now (an immutable snapshot). */
    List<NdisBindingHandle> bindings() {
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
    void attach(NdisFilterDriverHandle driver) {
        if (filters.stream().anyMatch(m -> m.filterDriver() == driver)) {
            return; // attached here already (the filter registered while this device was being added)
        }
        NdisFilterModuleHandle module = new NdisFilterModuleHandle(driver, this);
        module.setState(FilterModuleState.Attaching);
        NdisStatus status = DriverCalls.call(
                driver.driverName(),
                () -> driver.characteristics()
                        .attach(
                                module,
                                driver.filterDriverContext(),
                                new FilterAttachParameters(adapterName(), filters.size(), adapter.linkState())));
        if (!status.isSuccess()) {
            module.setState(FilterModuleState.Detached);
            Trace.log("%s: FilterAttach failed with %s; the filter is not in the stack", module.name(), status);
            return;
        }
        if (module.filterModuleContext() == null) {
            throw Verifier.violation(
                    adapter.handle().kernel(),
                    Rule.Init_SetAttributes,
                    2,
                    0,
                    module.name() + ": FilterAttach succeeded without NdisFSetAttributes");
        }
        module.setState(FilterModuleState.Paused);
        attachDataPath();
        filters = with(filters, module);
        Trace.log("%s: attached at layer %d", module.name(), filters.size() - 1);
    }

    /** FilterRestart, bottom up, after the miniport restarted. */
    void restartFilters() {
        for (NdisFilterModuleHandle module : filters) {
            module.setState(FilterModuleState.Restarting);
            NdisStatus status =
                    DriverCalls.call(module.driverName(), () -> handlers(module).restart(module.filterModuleContext()));
            module.setState(status.isSuccess() ? FilterModuleState.Running : FilterModuleState.Paused);
            Trace.log("%s: %s", module.name(), module.state());
        }
    }

    /** FilterPause, top down, before the miniport pauses. Pause cannot fail. */
    void pauseFilters() {
        for (NdisFilterModuleHandle module : topDown(filters)) {
            if (module.state() != FilterModuleState.Running) {
                continue;
            }
            module.setState(FilterModuleState.Pausing);
            NdisStatus status =
                    DriverCalls.call(module.driverName(), () -> handlers(module).pause(module.filterModuleContext()));
            if (!status.isSuccess()) {
                throw Verifier.violation(
                        adapter.handle().kernel(),
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
        for (NdisFilterModuleHandle module : topDown(filters)) {
            detach(module);
        }
    }

    /** FilterDetach of one module (its driver is going away). */
    void detach(NdisFilterModuleHandle module) {
        DriverCalls.call(module.driverName(), () -> {
            handlers(module).detach(module.filterModuleContext());
            return null;
        });
        module.setState(FilterModuleState.Detached);
        filters = without(filters, module);
        Trace.log("%s: detached", module.name());
    }

    // ---- protocols --------------------------------------------------------------------------

    /** ProtocolBindAdapterEx for one protocol; the protocol opens the adapter inside it. */
    void bind(NdisProtocolDriverHandle protocol) {
        ProtocolDriver<?> handlers = protocol.characteristics();
        if (handlers == null || bindings.stream().anyMatch(b -> b.protocol() == protocol)) {
            return; // binds nothing, or is bound here already
        }
        NdisBindContext context = new NdisBindContext(protocol, this);
        NdisBindParameters parameters = new NdisBindParameters(
                adapterName(),
                adapter.ifIndex(),
                adapter.generalAttributes().mtuSize(),
                adapter.generalAttributes().currentMacAddress(),
                adapter.linkState());
        NdisStatus status = DriverCalls.call(
                protocol.name(), () -> handlers.bindAdapterEx(protocol.protocolDriverContext(), context, parameters));
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

    /** NdisOpenAdapterEx, from inside ProtocolBindAdapterEx. */
    NdisBindingHandle open(NdisBindContext context, Object protocolBindingContext) {
        if (context.stack != this || context.opened != null) {
            throw Verifier.violation(
                    context.protocol.kernel(),
                    Rule.Handle_Invalid,
                    0,
                    0,
                    "NdisOpenAdapterEx with a bind context that is not pending (" + context + ")");
        }
        NdisBindingHandle binding = new NdisBindingHandle(context.protocol, protocolBindingContext, this);
        attachDataPath();
        context.opened = binding;
        bindings = with(bindings, binding);
        return binding;
    }

    /** ProtocolUnbindAdapterEx for every binding, newest first. */
    void unbindAll() {
        for (NdisBindingHandle binding : topDown(bindings)) {
            unbind(binding);
        }
    }

    @SuppressWarnings("unchecked")
    void unbind(NdisBindingHandle binding) {
        ProtocolDriver<Object> handlers =
                (ProtocolDriver<Object>) binding.protocol().characteristics();
        NdisBindContext context = new NdisBindContext(binding.protocol(), this);
        DriverCalls.call(
                binding.driverName(), () -> handlers.unbindAdapterEx(context, binding.protocolBindingContext()));
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

    /** NdisCloseAdapterEx. */
    void close(NdisBindingHandle binding) {
        List<NdisBindingHandle> remaining = without(bindings, binding);
        if (remaining == bindings) {
            throw Verifier.violation(
                    binding.kernel(),
                    Rule.Handle_Invalid,
                    2,
                    0,
                    "NdisCloseAdapterEx on a binding that is not open (" + binding.name() + ")");
        }
        bindings = remaining;
        binding.markClosed();
    }

    // ---- status -----------------------------------------------------------------------------

    /** A status indication from the miniport: to the lowest filter that takes status, or the protocols. */
    void indicateFromMiniport(NdisStatusIndication indication) {
        deliverAbove(-1, indication);
    }

    /** NdisFIndicateStatus: from a filter module to the next one up, or the protocols. */
    void indicateFromFilter(NdisFilterModuleHandle module, NdisStatusIndication indication) {
        int layer = filters.indexOf(module);
        if (layer < 0) {
            throw Verifier.violation(
                    module.kernel(),
                    Rule.Handle_Invalid,
                    3,
                    0,
                    "NdisFIndicateStatus from a module that is not attached (" + module.name() + ")");
        }
        deliverAbove(layer, indication);
    }

    @SuppressWarnings("unchecked")
    private void deliverAbove(int layer, NdisStatusIndication indication) {
        for (int i = layer + 1; i < filters.size(); i++) {
            NdisFilterModuleHandle module = filters.get(i);
            if (module.filterDriver().handles(FilterHandler.STATUS)) {
                DriverCalls.call(module.driverName(), () -> {
                    handlers(module).status(module.filterModuleContext(), indication);
                    return null;
                });
                return; // the filter passes it on (or not) with NdisFIndicateStatus
            }
        }
        for (NdisBindingHandle binding : bindings) {
            ProtocolDriver<Object> handlers =
                    (ProtocolDriver<Object>) binding.protocol().characteristics();
            DriverCalls.call(binding.driverName(), () -> {
                handlers.statusEx(binding.protocolBindingContext(), indication);
                return null;
            });
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static FilterDriver<Object> handlers(NdisFilterModuleHandle module) {
        return (FilterDriver<Object>) module.filterDriver().characteristics();
    }

    private static <T> List<T> topDown(List<T> bottomFirst) {
        List<T> copy = new ArrayList<>(bottomFirst);
        Collections.reverse(copy);
        return copy;
    }
}
