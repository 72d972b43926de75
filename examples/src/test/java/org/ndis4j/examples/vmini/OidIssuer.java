package org.ndis4j.examples.vmini;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.ndis.nbl.NetBuffer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.ProtocolEdge;

/**
 * Issues OID requests to one adapter the two ways a request reaches a miniport — NdisOidRequest on a
 * bound protocol's binding (through the stack) or a host's {@link NdisOidClient} — and counts every
 * completion NDIS delivers for each: a request must complete exactly once, through its completion
 * if NDIS returned PENDING and never otherwise. The binding gives back every NBL indicated to it,
 * keeping a copy of the last frame and a count (no recording that fills up over a long fuzzing run).
 */
final class OidIssuer {

    /** One request as issued: what NDIS returned, and every completion that came for it since. */
    static final class Issued {
        final NdisOidRequest request;
        final boolean throughBinding;
        final AtomicInteger completions = new AtomicInteger();
        final AtomicReference<NdisStatus> completedWith = new AtomicReference<>();
        volatile NdisStatus returned;

        Issued(NdisOidRequest request, boolean throughBinding) {
            this.request = request;
            this.throughBinding = throughBinding;
        }

        /** The final status: the one returned, or the one completed with after PENDING (null until then). */
        NdisStatus finalStatus() {
            return returned == NdisStatus.PENDING ? completedWith.get() : returned;
        }

        @Override
        public String toString() {
            return request + (throughBinding ? " on the binding" : " through NdisOidClient");
        }
    }

    private final ProtocolEdge edge;
    private final NdisOidClient client;
    private final Map<NdisOidRequest, Issued> issued = new ConcurrentHashMap<>();
    private final List<String> strays = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private volatile byte[] lastReceived;

    private OidIssuer(NdisMiniportAdapterHandle adapter) {
        edge = ProtocolEdge.bind(adapter, bound -> new Upper(bound));
        client = NdisOidClient.of(adapter);
    }

    /** Binds a protocol to {@code adapter} (Running). Runs at PASSIVE_LEVEL. */
    static OidIssuer bind(NdisMiniportAdapterHandle adapter) {
        return new OidIssuer(adapter);
    }

    /** Issues {@code request} on the binding or through the host's client; returns at once. */
    Issued issue(NdisOidRequest request, boolean throughBinding) {
        Issued entry = new Issued(request, throughBinding);
        issued.put(request, entry);
        entry.returned = throughBinding
                ? edge.oidRequest(request)
                : client.request(request, status -> completed(request, status));
        return entry;
    }

    /** NdisCancelOidRequest through the host's client. */
    void cancel(Object requestId) {
        client.cancel(requestId);
    }

    /** Forgets requests that are done, so that the map does not grow across fuzz inputs. */
    void forget(List<Issued> done) {
        done.forEach(i -> issued.remove(i.request));
    }

    /** Frames indicated to the binding so far. */
    long receivedCount() {
        return received.get();
    }

    /** The last frame indicated to the binding, or null. */
    byte[] lastReceived() {
        return lastReceived;
    }

    /** Completions for requests this issuer does not know (never issued, or forgotten). */
    List<String> strays() {
        return new ArrayList<>(strays);
    }

    private void completed(NdisOidRequest request, NdisStatus status) {
        Issued entry = issued.get(request);
        if (entry == null) {
            strays.add(request + " completed with " + status);
        } else {
            entry.completions.incrementAndGet();
            entry.completedWith.compareAndSet(null, status);
        }
        Await.changed();
    }

    /** The binding's upper edge: OID completions are counted; indicated NBLs go straight back. */
    private final class Upper implements ProtocolEdge.Upper {
        private final ProtocolEdge bound;

        Upper(ProtocolEdge bound) {
            this.bound = bound;
        }

        @Override
        public void receiveNetBufferLists(
                NetBufferList netBufferLists, int portNumber, int numberOfNetBufferLists, int receiveFlags) {
            for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
                for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                    byte[] frame = new byte[nb.dataLength()];
                    nb.data().getBytes(nb.dataOffset(), frame);
                    lastReceived = frame;
                    received.incrementAndGet();
                }
            }
            if ((receiveFlags & NDIS_RECEIVE_FLAGS_RESOURCES) == 0) {
                bound.returnNetBufferLists(
                        netBufferLists,
                        Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL ? NDIS_RETURN_FLAGS_DISPATCH_LEVEL : 0);
            }
            Await.changed();
        }

        @Override
        public void sendNetBufferListsComplete(NetBufferList netBufferLists, int sendCompleteFlags) {
            strays.add("a send completion on a binding that never sends");
        }

        @Override
        public void oidRequestComplete(NdisOidRequest oidRequest, NdisStatus status) {
            completed(oidRequest, status);
        }
    }
}
