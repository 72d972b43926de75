package org.ndis4j.ndis.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ndis4j.kernel.KernelLock;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * The status path of one adapter: NdisMIndicateStatusEx from the miniport and NDIS's own
 * indications about it (NDIS_STATUS_RESET_START / _END), in one order, to the host's listeners and
 * up the stack; and the link state NDIS last saw, with duplicates suppressed as NDIS does. Apart
 * from {@link MiniportAdapter} because delivery runs the upper layers under a kernel lock, while the
 * state machine only has to say whether the adapter's state allows an indication at all.
 */
final class AdapterStatusIndications {

    private final MiniportAdapter adapter;
    private final List<Consumer<NdisStatusIndication>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Serialises status indications from check to delivery. Held while upper layers run (they make
     * NDIS calls), so it is a lock of the kernel's seam, not a Java monitor.
     */
    private final KernelLock order;
    /** Guards linkState. */
    private final Object lock = new Object();

    private NdisLinkState linkState = NdisLinkState.disconnected();

    /** Creates the adapter's "status indication order" lock: build it where the adapter made it. */
    AdapterStatusIndications(MiniportAdapter adapter) {
        this.adapter = adapter;
        this.order = adapter.kernel().newLock("status indication order", KernelLock.Kind.ENGINE);
    }

    void addListener(Consumer<NdisStatusIndication> listener) {
        listeners.add(listener);
    }

    /** The link state NDIS last saw (initial general attributes, then indications). */
    NdisLinkState linkState() {
        synchronized (lock) {
            return linkState;
        }
    }

    /** The general attributes' initial link state, set in MiniportInitializeEx. */
    void initialLinkState(NdisLinkState initial) {
        synchronized (lock) {
            linkState = initial;
        }
    }

    /** NdisMIndicateStatusEx: see {@link MiniportAdapter#indicateStatus}. */
    void indicateFromMiniport(NdisStatusIndication indication) {
        // One indication at a time per adapter, check to delivery: two processors indicating Up and
        // Down must reach the protocols in the order NDIS recorded them.
        order.lock();
        try {
            indicateInOrder(indication);
        } finally {
            order.unlock();
        }
    }

    private void indicateInOrder(NdisStatusIndication indication) {
        adapter.checkStatusIndicationAllowed(indication);
        synchronized (lock) {
            if (indication.statusCode() == NdisStatus.LINK_STATE) {
                if (!(indication.statusBuffer() instanceof NdisLinkState newState)) {
                    throw Verifier.violation(
                            adapter.kernel(),
                            Rule.Handle_Invalid,
                            0,
                            0,
                            "NDIS_STATUS_LINK_STATE needs an NDIS_LINK_STATE buffer, got " + indication.statusBuffer());
                }
                if (newState.equals(linkState)) {
                    Trace.log("%s: duplicate link state suppressed (%s)", adapter.name(), newState);
                    return;
                }
                linkState = newState;
            }
        }
        Trace.log("%s: status %s %s", adapter.name(), indication.statusCode(), indication.statusBuffer());
        deliver(indication);
    }

    /** NDIS's own indication about the adapter: see {@link MiniportAdapter#indicateFromNdis}. */
    void indicateFromNdis(NdisStatusIndication indication) {
        order.lock();
        try {
            Trace.log("%s: NDIS indicates %s %s", adapter.name(), indication.statusCode(), indication.statusBuffer());
            deliver(indication);
        } finally {
            order.unlock();
        }
    }

    /** To the host's listeners first, then up the stack; the caller holds the order lock. */
    private void deliver(NdisStatusIndication indication) {
        for (Consumer<NdisStatusIndication> l : listeners) {
            l.accept(indication);
        }
        adapter.stack().indicateFromMiniport(indication);
    }
}
