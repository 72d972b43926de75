package org.ndis4j.ndis.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisStatus;
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
public final class StackOidPath {

    /** Where a pending request came from and which filter modules took it, innermost on top. */
    private record Route(Binding origin, Deque<FilterModule> modules) {}

    private final AdapterStack stack;
    /** Guarded by itself: requests on their way through this stack. */
    private final Map<NdisOidRequest, Route> routes = new IdentityHashMap<>();

    StackOidPath(AdapterStack stack) {
        this.stack = stack;
    }

    /** NdisOidRequest from a binding: enters below the top filter. */
    public NdisStatus fromProtocol(Binding binding, NdisOidRequest request) {
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

    /** NdisFOidRequest from a module: on to the next handler below it. */
    public NdisStatus fromFilter(FilterModule module, NdisOidRequest request) {
        int layer = module.layer("NdisFOidRequest");
        synchronized (routes) {
            routes.computeIfAbsent(request, r -> new Route(null, new ArrayDeque<>())); // the filter's own request
        }
        return below(layer, request);
    }

    private NdisStatus below(int layer, NdisOidRequest request) {
        FilterModule module = StackWalk.below(stack.filters(), layer, FilterHandler.OID_REQUEST);
        if (module != null) {
            Route route = routeOf(request);
            route.modules().push(module);
            NdisStatus status = DriverCalls.call(
                    module.driverName(),
                    () -> module.filterDriver().characteristics().oidRequest(module.context(), request));
            if (status != NdisStatus.PENDING) {
                route.modules().pop(); // this filter answered: no completion will pass it
                forgetIfDone(request, route);
            }
            return status;
        }
        NdisStatus status =
                stack.adapter().oidBroker().request(request, s -> completeAbove(request, s), "NdisOidRequest");
        if (status != NdisStatus.PENDING) {
            forgetIfDone(request, routeOf(request));
        }
        return status;
    }

    /** A request answered synchronously all the way up has no completion: forget its route. */
    private void forgetIfDone(NdisOidRequest request, Route route) {
        if (route.modules().isEmpty()) {
            synchronized (routes) {
                routes.remove(request);
            }
        }
    }

    /** NdisFOidRequestComplete from a filter: up to the next module that took the request. */
    public void completeFromFilter(FilterModule module, NdisOidRequest request, NdisStatus status) {
        Route route = routeOf(request);
        if (route.modules().peek() != module) {
            throw Verifier.violation(
                    module.kernel(),
                    Rule.OidRequest_CompleteNotPending,
                    0,
                    0,
                    module.name() + ": NdisFOidRequestComplete for a request it does not hold");
        }
        route.modules().pop();
        completeAbove(request, status);
    }

    /** A pending request completed below: to the innermost filter that took it, or the protocol. */
    private void completeAbove(NdisOidRequest request, NdisStatus status) {
        Route route = routeOf(request);
        FilterModule module = route.modules().peek();
        if (module != null) {
            if (module.filterDriver().handles(FilterHandler.OID_REQUEST_COMPLETE)) {
                DriverCalls.run(
                        module.driverName(),
                        () -> module.filterDriver()
                                .characteristics()
                                .oidRequestComplete(module.context(), request, status));
            } else {
                route.modules().pop(); // no completion handler: NDIS passes it straight up
                completeAbove(request, status);
            }
            return;
        }
        synchronized (routes) {
            routes.remove(request);
        }
        Binding origin = route.origin();
        if (origin != null) {
            DriverCalls.run(
                    origin.driverName(),
                    () -> origin.protocol()
                            .characteristics()
                            .oidRequestComplete(origin.protocolBindingContext(), request, status));
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
