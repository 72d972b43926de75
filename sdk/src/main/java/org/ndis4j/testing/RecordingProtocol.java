package org.ndis4j.testing;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.nbl.NetBuffer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;

/**
 * A protocol driver for driver tests, bound to one adapter (through {@link ProtocolEdge}, so NDIS
 * checks it as any protocol): it sends frames, sets the packet filter and the multicast list through
 * OID requests (waiting out NDIS_STATUS_PENDING), and records what comes up — every received frame
 * (copied, the NBLs returned at once), the size of each indication, each send's completion status,
 * and every status indication with the IRQL and thread it arrived on. Its awaits wait on the
 * recording itself and fail fast when the machine bug-checks.
 *
 * <pre>
 *   RecordingProtocol protocol = RecordingProtocol.bind(adapter);            // adapter is Running
 *   protocol.awaitLinkState("link up", NdisLinkState::isConnected);
 *   protocol.setPacketFilter(NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST);
 *   protocol.send(FrameBuilder.ethernet(peer, me).ipv4(myIp, peerIp).udp(5000, 7, data));
 *   Frame reply = protocol.awaitReceive("the echo", Frame::isUdp);          // checksums verified
 * </pre>
 *
 * Recordings are bounded: after {@link #MAX_RECORDED} frames (or statuses) more are counted, not kept.
 */
public final class RecordingProtocol {

    /** The most frames, completions and status indications each kept. */
    public static final int MAX_RECORDED = 1 << 16;

    /** How long an OID request may pend before {@link #request} gives up. */
    public static final Duration OID_TIMEOUT = Duration.ofSeconds(30);

    /** A status indication (ProtocolStatusEx) and where it ran. */
    public record StatusRecord(NdisStatusIndication indication, Irql irql, String thread) {}

    /** An NDIS_STATUS_LINK_STATE indication and where it ran. */
    public record LinkIndication(NdisLinkState state, Irql irql, String thread) {}

    private final ProtocolEdge edge;
    private final Kernel kernel;
    /** Guards every recording below and {@link #cursor}. */
    private final Object lock = new Object();

    private final List<byte[]> received = new ArrayList<>();
    private final List<Integer> indicationSizes = new ArrayList<>();
    private final List<NdisStatus> completions = new ArrayList<>();
    private final List<StatusRecord> statuses = new ArrayList<>();
    private final List<LinkIndication> links = new ArrayList<>();
    private long receivedTotal;
    private long completionsTotal;
    private long sendsOutstanding;
    /** The first received frame {@link #awaitReceive} has not looked at. */
    private int cursor;

    private final Map<NdisOidRequest, CompletableFuture<NdisStatus>> pendingOids = new ConcurrentHashMap<>();
    private volatile NetBufferListPool pool;

    private RecordingProtocol(ProtocolEdge edge) {
        this.edge = edge;
        this.kernel = edge.adapter().kernel();
    }

    /**
     * Registers a protocol driver that binds to {@code adapter} (Running) and waits until it is
     * bound. Runs at PASSIVE_LEVEL. The protocol unbinds when the device is removed, and frees what
     * it allocated then. When NdisAllocateNetBufferListPool returns NULL the binding stays, and every
     * send completes with NDIS_STATUS_RESOURCES.
     */
    public static RecordingProtocol bind(NdisMiniportAdapterHandle adapter) {
        AtomicReference<RecordingProtocol> made = new AtomicReference<>();
        ProtocolEdge.bind(adapter, edge -> {
            RecordingProtocol p = new RecordingProtocol(edge);
            made.set(p);
            return p.new Recorder();
        });
        RecordingProtocol protocol = made.get();
        protocol.pool = Ndis.allocateNetBufferListPool(
                protocol.edge.protocolHandle(), NetBufferListPoolParameters.withNetBuffer(0x7074_7376, 0));
        return protocol;
    }

    public NdisMiniportAdapterHandle adapter() {
        return edge.adapter();
    }

    /** The binding underneath, for NBL-level work (cancel a send, count what is outstanding). */
    public ProtocolEdge edge() {
        return edge;
    }

    // ---- sending -----------------------------------------------------------------------------

    /**
     * Sends {@code frames} as one chain of NBLs, one frame each (NdisSendNetBufferLists). IRQL &lt;=
     * DISPATCH_LEVEL. A frame NDIS has no NBL for (NdisAllocateNetBufferAndNetBufferList, or the
     * pool at bind, returned NULL) is not sent: it is recorded as a send completed with
     * NDIS_STATUS_RESOURCES, and the others go.
     */
    public void send(List<byte[]> frames) {
        if (frames.isEmpty()) {
            return;
        }
        NetBufferListPool p = pool;
        NetBufferList head = null;
        NetBufferList tail = null;
        int unsent = 0;
        for (byte[] frame : frames) {
            ByteBuf data = PooledByteBufAllocator.DEFAULT.buffer(frame.length);
            data.writeBytes(frame);
            NetBufferList nbl =
                    p == null ? null : Ndis.allocateNetBufferAndNetBufferList(p, 0, 0, data, 0, frame.length);
            if (nbl == null) {
                data.release(); // on NULL the memory stays ours
                unsent++;
                continue;
            }
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
        }
        synchronized (lock) {
            sendsOutstanding += frames.size() - unsent;
            for (int i = 0; i < unsent; i++) {
                completionsTotal++;
                if (completions.size() < MAX_RECORDED) {
                    completions.add(NdisStatus.RESOURCES);
                }
            }
        }
        if (unsent > 0) {
            Await.changed();
        }
        if (head != null) {
            edge.sendNetBufferLists(
                    head, NDIS_DEFAULT_PORT_NUMBER, 0); // NDIS sets NDIS_SEND_FLAGS_DISPATCH_LEVEL to match the IRQL
        }
    }

    /** Sends one frame. */
    public void send(byte[] frame) {
        send(List.of(frame));
    }

    // ---- OID requests ------------------------------------------------------------------------

    /**
     * NdisOidRequest on the binding; when it pends, waits for ProtocolOidRequestComplete (failing
     * fast on a crash). PASSIVE_LEVEL (it may wait). Returns the final status.
     */
    public NdisStatus request(NdisOidRequest request) {
        CompletableFuture<NdisStatus> done = new CompletableFuture<>();
        pendingOids.put(request, done);
        NdisStatus status;
        try {
            status = edge.oidRequest(request);
        } catch (RuntimeException e) {
            pendingOids.remove(request);
            throw e;
        }
        if (status != NdisStatus.PENDING) {
            pendingOids.remove(request);
            return status;
        }
        return Await.value(kernel, "the completion of " + request, OID_TIMEOUT, () -> done.getNow(null));
    }

    /** Sets OID_GEN_CURRENT_PACKET_FILTER (NDIS_PACKET_TYPE_* bits). */
    public NdisStatus setPacketFilter(int packetFilter) {
        return request(NdisOidRequest.setUlong(Oid.OID_GEN_CURRENT_PACKET_FILTER, packetFilter));
    }

    /** Sets OID_802_3_MULTICAST_LIST to {@code groups} (48-bit MACs; none clears the list). */
    public NdisStatus setMulticastList(long... groups) {
        byte[] list = new byte[6 * groups.length];
        for (int i = 0; i < groups.length; i++) {
            for (int octet = 0; octet < 6; octet++) {
                list[6 * i + octet] = (byte) (groups[i] >>> (40 - 8 * octet));
            }
        }
        return request(NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, list));
    }

    // ---- what was recorded -----------------------------------------------------------------------

    /** Every frame received so far (up to {@link #MAX_RECORDED}), in order. */
    public List<byte[]> received() {
        synchronized (lock) {
            return new ArrayList<>(received);
        }
    }

    /** How many frames were received, kept or not. */
    public long receivedCount() {
        synchronized (lock) {
            return receivedTotal;
        }
    }

    /** NumberOfNetBufferLists of each ProtocolReceiveNetBufferLists call, in order. */
    public List<Integer> indicationSizes() {
        synchronized (lock) {
            return new ArrayList<>(indicationSizes);
        }
    }

    /** The final status of each completed send, in completion order. */
    public List<NdisStatus> sendCompletions() {
        synchronized (lock) {
            return new ArrayList<>(completions);
        }
    }

    /** How many sends completed, kept or not. */
    public long sendCompletionCount() {
        synchronized (lock) {
            return completionsTotal;
        }
    }

    /** Frames sent and not completed yet. */
    public long sendsOutstanding() {
        synchronized (lock) {
            return sendsOutstanding;
        }
    }

    /** Every status indication, in order. */
    public List<StatusRecord> statusIndications() {
        synchronized (lock) {
            return new ArrayList<>(statuses);
        }
    }

    /** The NDIS_STATUS_LINK_STATE indications, in order. */
    public List<LinkIndication> linkIndications() {
        synchronized (lock) {
            return new ArrayList<>(links);
        }
    }

    /** The last link-state indication, or null before the first. */
    public LinkIndication lastLinkIndication() {
        synchronized (lock) {
            return links.isEmpty() ? null : links.get(links.size() - 1);
        }
    }

    /**
     * The link state as this protocol knows it: the last NDIS_STATUS_LINK_STATE indication it
     * received; before the first, what NDIS_BIND_PARAMETERS said at bind. (Not the adapter's state
     * NDIS holds: that changes before the indication reaches the protocol.)
     */
    public NdisLinkState linkState() {
        LinkIndication last = lastLinkIndication();
        return last != null ? last.state() : edge.bindParameters().linkState();
    }

    // ---- awaits ------------------------------------------------------------------------------

    /**
     * Waits for a received frame that {@code matcher} accepts, looking at the frames in order from
     * just after the one the previous call returned (so successive calls see successive frames), and
     * returns it — verified: a bad checksum or length fails the test. Fails fast on a crash; fails
     * after {@link Await#DEFAULT_TIMEOUT}.
     */
    public Frame awaitReceive(String what, Predicate<Frame> matcher) {
        return awaitReceive(what, Await.DEFAULT_TIMEOUT, matcher);
    }

    /** The same, waiting up to {@code timeout}. */
    public Frame awaitReceive(String what, Duration timeout, Predicate<Frame> matcher) {
        Frame frame = Await.value(kernel, what, timeout, () -> nextMatch(matcher));
        return frame.verify();
    }

    private Frame nextMatch(Predicate<Frame> matcher) {
        synchronized (lock) {
            while (cursor < received.size()) {
                Frame frame = Frame.parse(received.get(cursor++));
                if (matcher.test(frame)) {
                    return frame;
                }
            }
            return null;
        }
    }

    /** Waits until {@code count} frames in all were received. */
    public void awaitReceivedCount(long count) {
        Await.until(kernel, count + " frames received", Await.DEFAULT_TIMEOUT, () -> receivedCount() >= count);
    }

    /** Waits until {@code count} sends in all completed. */
    public void awaitSendCompletions(long count) {
        Await.until(kernel, count + " send completions", Await.DEFAULT_TIMEOUT, () -> sendCompletionCount() >= count);
    }

    /** Waits until the link state (see {@link #linkState()}) satisfies {@code condition}; returns it. */
    public NdisLinkState awaitLinkState(String what, Predicate<NdisLinkState> condition) {
        return Await.value(kernel, what, Await.DEFAULT_TIMEOUT, () -> {
            NdisLinkState state = linkState();
            return condition.test(state) ? state : null;
        });
    }

    // ---- what comes up -----------------------------------------------------------------------

    private void receive(NetBufferList nbls, int count, int receiveFlags) {
        List<byte[]> frames = new ArrayList<>(count);
        for (NetBufferList nbl = nbls; nbl != null; nbl = nbl.next()) {
            for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                byte[] frame = new byte[nb.dataLength()];
                nb.data().getBytes(nb.dataOffset(), frame);
                frames.add(frame);
            }
        }
        synchronized (lock) {
            if (indicationSizes.size() < MAX_RECORDED) {
                indicationSizes.add(count);
            }
            for (byte[] frame : frames) {
                receivedTotal++;
                if (received.size() < MAX_RECORDED) {
                    received.add(frame);
                }
            }
        }
        if ((receiveFlags & NDIS_RECEIVE_FLAGS_RESOURCES) == 0) {
            edge.returnNetBufferLists(
                    nbls, Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL ? NDIS_RETURN_FLAGS_DISPATCH_LEVEL : 0);
        }
        Await.changed();
    }

    private void sendComplete(NetBufferList nbls) {
        NetBufferList nbl = nbls;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            NdisStatus status = nbl.status();
            // Freed before it is counted: a test that saw the count may unbind, which frees the pool.
            Ndis.freeNetBufferList(nbl);
            synchronized (lock) {
                completionsTotal++;
                sendsOutstanding--;
                if (completions.size() < MAX_RECORDED) {
                    completions.add(status);
                }
            }
            nbl = next;
        }
        Await.changed();
    }

    private void status(NdisStatusIndication indication) {
        Irql irql = Ke.getCurrentIrql();
        String thread = Thread.currentThread().getName();
        synchronized (lock) {
            if (statuses.size() < MAX_RECORDED) {
                statuses.add(new StatusRecord(indication, irql, thread));
            }
            if (indication.statusCode() == NdisStatus.LINK_STATE && links.size() < MAX_RECORDED) {
                links.add(new LinkIndication((NdisLinkState) indication.statusBuffer(), irql, thread));
            }
        }
        Await.changed();
    }

    private void oidComplete(NdisOidRequest request, NdisStatus status) {
        CompletableFuture<NdisStatus> done = pendingOids.remove(request);
        if (done != null) {
            done.complete(status);
        }
        Await.changed();
    }

    private void unbind() {
        NetBufferListPool p = pool;
        pool = null;
        if (p != null) {
            Ndis.freeNetBufferListPool(p);
        }
    }

    /** The edge's upper side: passes everything to the protocol it belongs to. */
    private final class Recorder implements ProtocolEdge.Upper {

        @Override
        public void receiveNetBufferLists(
                NetBufferList netBufferLists, int portNumber, int numberOfNetBufferLists, int receiveFlags) {
            receive(netBufferLists, numberOfNetBufferLists, receiveFlags);
        }

        @Override
        public void sendNetBufferListsComplete(NetBufferList netBufferLists, int sendCompleteFlags) {
            sendComplete(netBufferLists);
        }

        @Override
        public void statusEx(NdisStatusIndication statusIndication) {
            status(statusIndication);
        }

        @Override
        public void oidRequestComplete(NdisOidRequest oidRequest, NdisStatus status) {
            oidComplete(oidRequest, status);
        }

        @Override
        public void unbindAdapterEx() {
            unbind();
        }
    }
}
