package org.ndis4j.ndis.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.oid.NdisOidRequest;

/**
 * Every OID request pending anywhere in one kernel (queued by NDIS or handed to a miniport), by
 * identity: a request object is issued again only after it completed (rule NdisOidDoubleRequest),
 * whichever adapter it went to.
 */
final class PendingOidRequests {

    /** Guarded by itself: request → the adapter it pends on. */
    private final Map<NdisOidRequest, MiniportAdapter> pending = new IdentityHashMap<>();

    private PendingOidRequests(Kernel kernel) {}

    static PendingOidRequests of(Kernel kernel) {
        return kernel.extension(PendingOidRequests.class, PendingOidRequests::new);
    }

    /** Records {@code request} as pending on {@code adapter}; returns the adapter it already pends on, or null. */
    MiniportAdapter add(NdisOidRequest request, MiniportAdapter adapter) {
        synchronized (pending) {
            return pending.putIfAbsent(request, adapter);
        }
    }

    /** The adapter {@code request} pends on, or null. */
    MiniportAdapter owner(NdisOidRequest request) {
        synchronized (pending) {
            return pending.get(request);
        }
    }

    void remove(NdisOidRequest request) {
        synchronized (pending) {
            pending.remove(request);
        }
    }
}
