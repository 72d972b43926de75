package org.ndis4j.examples.ipstack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * What ipstack offers on one binding to the code that uses it — the part of a stack a socket
 * layer or a management tool would reach through an IOCTL: echo requests, UDP, the ARP cache, the
 * packet filter, OID requests passed down the binding, counters and the link state. Callable at
 * IRQL &lt;= DISPATCH_LEVEL from any thread; none of it blocks. Once the binding is gone every call
 * returns false (or empty) and does nothing.
 */
public final class IpInterface {

    private final IpBinding binding;
    private final Rundown rundown = new Rundown();
    private volatile Consumer<LinkEvent> linkListener = event -> {};

    IpInterface(IpBinding binding) {
        this.binding = binding;
    }

    Rundown rundown() {
        return rundown;
    }

    void linkChanged(LinkEvent event) {
        linkListener.accept(event);
    }

    /** The binding's handle (NdisOpenAdapterEx): hosts find it in {@code AdapterView.bindings()} once NDIS indicates to it. */
    public NdisBindingHandle bindingHandle() {
        return binding.handle();
    }

    public String adapterName() {
        return binding.adapterName();
    }

    public InterfaceConfig config() {
        return binding.config();
    }

    public int address() {
        return binding.config().address();
    }

    /** The adapter's MAC address (48 bits). */
    public long macAddress() {
        return binding.macAddress();
    }

    /** The link as ipstack knows it: NDIS_BIND_PARAMETERS, then each NDIS_STATUS_LINK_STATE. */
    public boolean isLinkUp() {
        return binding.isLinkUp();
    }

    /** The last link indications ProtocolStatusEx received, oldest first, with where they ran. */
    public List<LinkEvent> linkEvents() {
        return binding.linkEvents();
    }

    /**
     * Hears every link indication as ProtocolStatusEx gets it (at the IRQL it arrives at; it must not
     * block).
     */
    public void onLinkChange(Consumer<LinkEvent> listener) {
        linkListener = listener == null ? event -> {} : listener;
    }

    /**
     * Sends an ICMP echo request to {@code target} with {@code dataLength} (0..MTU-28: 1472, or 8972
     * on a jumbo adapter) bytes of data;
     * {@code listener} hears the reply or, after {@code timeout}, the time-out. False when it was not
     * sent (too many in flight, this identifier and sequence in flight, off-link, no resources, the
     * binding is gone); a request that waits for ARP or meets a link that is down times out.
     */
    public boolean ping(
            int target, int identifier, int sequence, int dataLength, Duration timeout, EchoListener listener) {
        int maxData = binding.ip().maxPayload() - Icmp.HEADER_LENGTH;
        if (dataLength < 0 || dataLength > maxData) {
            throw new IllegalArgumentException(
                    "echo data of " + dataLength + " bytes: 0.." + maxData + " (ipstack does not fragment)");
        }
        if (!rundown.acquire()) {
            return false;
        }
        try {
            return binding.icmp().echoRequest(target, identifier, sequence, dataLength, timeout.toNanos(), listener);
        } finally {
            rundown.release();
        }
    }

    /** The most echo data one request carries on this adapter: its MTU less the IP and ICMP headers. */
    public int maxEchoData() {
        return binding.ip().maxPayload() - Icmp.HEADER_LENGTH;
    }

    /** Sends a UDP datagram carrying {@code payload} (0..1472 bytes). False when dropped at once (counted). */
    public boolean sendUdp(int destination, int sourcePort, int destinationPort, byte[] payload) {
        return sendUdp(destination, sourcePort, destinationPort, Unpooled.wrappedBuffer(payload), 0, payload.length);
    }

    /** The same, with {@code length} bytes of {@code payload} from absolute index {@code offset} (copied). */
    public boolean sendUdp(
            int destination, int sourcePort, int destinationPort, ByteBuf payload, int offset, int length) {
        if (!rundown.acquire()) {
            return false;
        }
        try {
            return binding.udp().send(destination, sourcePort, destinationPort, payload, offset, length);
        } finally {
            rundown.release();
        }
    }

    /**
     * Sends one UDP datagram per payload (each 0..1472 readable bytes, copied), in order, as one NBL
     * chain: a single NdisSendNetBufferLists for the burst, as sendmmsg(2) is one call for many.
     * Returns how many were handed on; the rest were dropped at once (counted).
     */
    public int sendUdp(int destination, int sourcePort, int destinationPort, List<ByteBuf> payloads) {
        if (!rundown.acquire()) {
            return 0;
        }
        try {
            return binding.udp().sendAll(destination, sourcePort, destinationPort, payloads);
        } finally {
            rundown.release();
        }
    }

    /** Delivers the datagrams sent to {@code port} to {@code listener} (port 7 then no longer echoes). */
    public void listenUdp(int port, UdpListener listener) {
        binding.udp().listen(port, listener);
    }

    public void stopListeningUdp(int port) {
        binding.udp().stopListening(port);
    }

    /** A static ARP entry (arp -s): used as is, never learned over. */
    public void addStaticArpEntry(int address, long mac) {
        if (!rundown.acquire()) {
            return;
        }
        try {
            binding.arp().addStatic(address, mac);
        } finally {
            rundown.release();
        }
    }

    public List<ArpEntry> arpEntries() {
        if (!rundown.acquire()) {
            return List.of();
        }
        try {
            return binding.arp().entries();
        } finally {
            rundown.release();
        }
    }

    /**
     * Turns NDIS_PACKET_TYPE_PROMISCUOUS on or off with OID_GEN_CURRENT_PACKET_FILTER (it pends: NDIS
     * queues it for the miniport); {@code done} hears the final status. False when not issued.
     */
    public boolean setPromiscuous(boolean on, Consumer<NdisStatus> done) {
        if (!rundown.acquire()) {
            return false;
        }
        try {
            return binding.setPromiscuous(on, done);
        } finally {
            rundown.release();
        }
    }

    /** The packet filter the miniport last accepted from ipstack (NDIS_PACKET_TYPE_*). */
    public int packetFilter() {
        return binding.packetFilter();
    }

    /**
     * Passes an OID request down the binding (NdisOidRequest): through the filters over the adapter
     * to the miniport, as a management tool's request reaches it through a protocol. {@code done}
     * hears the final status, whether the request completed at once or pended. False when not issued.
     */
    public boolean oidRequest(NdisOidRequest request, Consumer<NdisStatus> done) {
        if (!rundown.acquire()) {
            return false;
        }
        try {
            return binding.control().request(request, done);
        } finally {
            rundown.release();
        }
    }

    public IpStatistics statistics() {
        return binding.counters().snapshot();
    }

    /** NBLs ipstack has out: sent and not completed, or waiting for ARP. */
    public int sendsOutstanding() {
        return binding.data().outstanding();
    }

    @Override
    public String toString() {
        return "ipstack " + binding.config() + " on " + binding.adapterName();
    }
}
