package org.ndis4j.ndis;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * OID requests across one adapter's stack: down from a protocol binding through every filter module
 * with a FilterOidRequest handler (the others are bypassed) to the miniport's OID broker, and a
 * pending request's completion back up the same way, through each FilterOidRequestComplete, to
 * ProtocolOidRequestComplete.
 *
 * <pre>
 *   Ndis.oidRequest(binding) ─► FilterOidRequest(top) ─NdisF.oidRequest─► ... ─► OID broker ─► miniport
 *   ProtocolOidRequestComplete ◄─ FilterOidRequestComplete ◄─NdisF.oidRequestComplete─ ... ◄─ completion
 * </pre>
 * A request that completes synchronously returns its status down the same call chain and has no
 * completion.
 */
final class StackOidPath {

    /** Where a pending request came from and which filter layers took it, innermost last. */
    private record Route(NdisBindingHandle origin, Deque<Integer> layers) {}

    private final AdapterStack stack;
    /** Guarded by itself: requests on their way through this stack. */
    private final Map<NdisOidRequest, Route> routes = new IdentityHashMap<>();

    StackOidPath(AdapterStack stack) {
        this.stack = stack;
    }

    /** NdisOidRequest from a binding: enters below the top filter. */
    NdisStatus fromProtocol(NdisBindingHandle binding, NdisOidRequest request) {
        synchronized (routes) {
            if (routes.containsKey(request)) {
                throw Verifier.violation(
                        binding.kernel(),
                        Rule.NdisOidDoubleRequest,
                        0,
                        0,
                        binding.name() + ": NdisOidRequest with a request that is still pending");
            }
            routes.put(request, new Route(binding, new ArrayDeque<>()));
        }
        return below(stack.filters().size(), request);
    }

    /** NdisFOidRequest from the module at {@code layer}: on to the next handler below it. */
    NdisStatus fromFilter(NdisFilterModuleHandle module, NdisOidRequest request) {
        int layer = stack.filters().indexOf(module);
        if (layer < 0) {
            throw Verifier.violation(
                    module.kernel(),
                    Rule.Handle_Invalid,
                    3,
                    0,
                    "NdisFOidRequest from a module that is not attached (" + module.name() + ")");
        }
        synchronized (routes) {
            routes.computeIfAbsent(request, r -> new Route(null, new ArrayDeque<>())); // the filter's own request
        }
        return below(layer, request);
    }

    @SuppressWarnings("unchecked")
    private NdisStatus below(int layer, NdisOidRequest request) {
        for (int i = layer - 1; i >= 0; i--) {
            NdisFilterModuleHandle module = stack.filters().get(i);
            if (module.filterDriver().handles(FilterHandler.OID_REQUEST)) {
                Route route = routeOf(request);
                route.layers().push(i);
                FilterDriver<Object> handlers =
                        (FilterDriver<Object>) module.filterDriver().characteristics();
                NdisStatus status = DriverCalls.call(
                        module.driverName(), () -> handlers.oidRequest(module.filterModuleContext(), request));
                if (status != NdisStatus.PENDING) {
                    route.layers().pop(); // this filter answered: no completion will pass it
                    forgetIfDone(request, route);
                }
                return status;
            }
        }
        NdisStatus status = stack.adapterHandle()
                .adapter()
                .oidBroker()
                .request(request, s -> completeAbove(request, s), "NdisOidRequest");
        if (status != NdisStatus.PENDING) {
            forgetIfDone(request, routeOf(request));
        }
        return status;
    }

    /** A request answered synchronously all the way up has no completion: forget its route. */
    private void forgetIfDone(NdisOidRequest request, Route route) {
        if (route.layers().isEmpty()) {
            synchronized (routes) {
                routes.remove(request);
            }
        }
    }

    /** NdisFOidRequestComplete from a filter: up to the next layer that took the request. */
    void completeFromFilter(NdisFilterModuleHandle module, NdisOidRequest request, NdisStatus status) {
        Route route = routeOf(request);
        Integer top = route.layers().peek();
        if (top == null || stack.filters().indexOf(module) != top) {
            throw Verifier.violation(
                    module.kernel(),
                    Rule.OidRequest_CompleteNotPending,
                    0,
                    0,
                    module.name() + ": NdisFOidRequestComplete for a request it does not hold");
        }
        route.layers().pop();
        completeAbove(request, status);
    }

    /** A pending request completed below: to the innermost filter that took it, or the protocol. */
    @SuppressWarnings("unchecked")
    private void completeAbove(NdisOidRequest request, NdisStatus status) {
        Route route = routeOf(request);
        Integer layer = route.layers().peek();
        if (layer != null) {
            NdisFilterModuleHandle module = stack.filters().get(layer);
            FilterDriver<Object> handlers =
                    (FilterDriver<Object>) module.filterDriver().characteristics();
            if (module.filterDriver().handles(FilterHandler.OID_REQUEST_COMPLETE)) {
                DriverCalls.call(module.driverName(), () -> {
                    handlers.oidRequestComplete(module.filterModuleContext(), request, status);
                    return null;
                });
            } else {
                route.layers().pop(); // no completion handler: NDIS passes it straight up
                completeAbove(request, status);
            }
            return;
        }
        synchronized (routes) {
            routes.remove(request);
        }
        NdisBindingHandle origin = route.origin();
        if (origin != null) {
            ProtocolDriver<Object> handlers =
                    (ProtocolDriver<Object>) origin.protocol().characteristics();
            DriverCalls.call(origin.driverName(), () -> {
                handlers.oidRequestComplete(origin.protocolBindingContext(), request, status);
                return null;
            });
        }
    }

    private Route routeOf(NdisOidRequest request) {
        synchronized (routes) {
            Route route = routes.get(request);
            if (route == null) {
                throw new IllegalStateException("no route for " + request);
            }
            return route;
        }
    }
}
