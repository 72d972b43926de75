package org.ndis4j.examples.ipstack;

import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_BROADCAST;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_DIRECTED;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_MULTICAST;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_PROMISCUOUS;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Ke;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.ndis.types.NdisTimer;

/**
 * One binding of ipstack to an adapter (the protocol's adapter.c): ProtocolBindAdapterEx and
 * ProtocolUnbindAdapterEx, the link state from ProtocolStatusEx, the binding's timer, and the
 * binding context every other file works on.
 *
 * <pre>
 *  bind (PASSIVE)                                        unbind (PASSIVE, reverse order)
 *   1 NBL pool (protocol handle), locks, events            7 refuse sends; timer cancelled (periodic:
 *   2 NdisOpenAdapterEx                                       PASSIVE_LEVEL, NDIS flushes its DPC), freed
 *   3 timer (NdisAllocateTimerObject), periodic tick      6 ARP queues dropped, echo requests time out
 *   4 OID_GEN_CURRENT_PACKET_FILTER, then                 5 wait for every send to complete
 *     OID_802_3_MULTICAST_LIST (each may pend)            4 wait for the OID request in flight
 *   5 link up? gratuitous ARP on the first tick           3 NdisCloseAdapterEx, 2 pool freed
 * </pre>
 * NDIS indicates nothing to the binding until ProtocolBindAdapterEx has returned; from then on
 * every link change after the one NDIS_BIND_PARAMETERS gave reaches {@link #statusEx}.
 */
final class IpBinding {

    /** The binding's timer: ARP retries and expiry, echo timeouts. */
    static final int TICK_MILLISECONDS = 50;
    /** How long unbind waits for sends and OID requests to complete before it gives up (a bug below). */
    static final int CLOSE_WAIT_MILLISECONDS = 10_000;
    /** Link events kept for hosts to read. */
    static final int LINK_EVENTS_KEPT = 64;

    /** The packet filter ipstack sets at bind: its own address, broadcasts, the multicast list. */
    static final int PACKET_FILTER =
            NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST | NDIS_PACKET_TYPE_MULTICAST;
    /** 224.0.0.1 (all hosts) mapped to Ethernet (RFC 1112): 01:00:5e:00:00:01. */
    static final long ALL_HOSTS_GROUP = 0x01_00_5e_00_00_01L;

    private final IpStackDriver driver;
    private final String adapterName;
    private final InterfaceConfig config;
    private final long macAddress;
    private final IpCounters counters;
    private final IpDataPath data;
    private final IpControlPath control;
    private final Arp arp;
    private final Ipv4 ip;
    private final Icmp icmp;
    private final Udp udp;
    private final IpInterface api;

    private volatile NdisBindingHandle handle;
    private volatile NdisTimer timer;
    private volatile boolean linkUp;
    /** Set at bind and on link up: the next tick announces the address (not before the bind returns). */
    private volatile boolean announce;

    private volatile int packetFilter = PACKET_FILTER;
    /** Guarded by itself: the last link indications, oldest first. */
    private final ArrayDeque<LinkEvent> linkEvents = new ArrayDeque<>();

    private IpBinding(
            IpStackDriver driver,
            String adapterName,
            InterfaceConfig config,
            long macAddress,
            IpCounters counters,
            IpDataPath data,
            int mtu) {
        this.driver = driver;
        this.adapterName = adapterName;
        this.config = config;
        this.macAddress = macAddress;
        this.counters = counters;
        this.data = data;
        this.control = new IpControlPath(this, counters);
        this.arp = new Arp(this, counters, config);
        this.ip = new Ipv4(this, counters, config, mtu);
        this.icmp = new Icmp(this, counters, config);
        this.udp = new Udp(this, counters, config);
        this.api = new IpInterface(this);
    }

    /**
     * ProtocolBindAdapterEx. Runs at PASSIVE_LEVEL. Binds to the adapters the configuration names
     * (NDIS_STATUS_NOT_SUPPORTED for the others); allocates before it opens, so a failure has
     * nothing to close.
     */
    static NdisStatus bind(
            IpStackDriver driver,
            NdisProtocolDriverHandle protocol,
            NdisBindContext bindContext,
            NdisBindParameters p) {
        InterfaceConfig config = driver.configuration().forAdapter(p.adapterName());
        if (config == null) {
            return NdisStatus.NOT_SUPPORTED; // not configured for this adapter: no binding
        }
        IpCounters counters = new IpCounters();
        int mtu = Math.min(Math.max(p.mtuSize(), Ethernet.MINIMUM_MTU), Ethernet.MAXIMUM_MTU);
        IpDataPath data = IpDataPath.create(protocol, counters, mtu);
        if (data == null) {
            return NdisStatus.RESOURCES;
        }
        IpBinding binding = new IpBinding(
                driver, p.adapterName(), config, Ethernet.mac(p.currentMacAddress()), counters, data, mtu);
        NdisTimer timer = Ndis.allocateTimerObject(protocol, IpBinding::tick, binding);
        if (timer == null) {
            binding.freeLocks();
            data.freePool();
            return NdisStatus.RESOURCES;
        }
        binding.timer = timer;
        binding.handle = Ndis.openAdapterEx(protocol, binding, bindContext);
        binding.linkUp = p.linkState().isConnected();
        binding.announce = binding.linkUp;
        Ndis.setTimerObject(timer, -TICK_MILLISECONDS * 10_000L, TICK_MILLISECONDS, binding);
        binding.setPacketFilter(PACKET_FILTER, status -> {});
        binding.control.request(
                NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, Ethernet.macBytes(ALL_HOSTS_GROUP)), status -> {});
        driver.bound(binding);
        return NdisStatus.SUCCESS;
    }

    /**
     * ProtocolUnbindAdapterEx. Runs at PASSIVE_LEVEL. Undoes bind in reverse order (see the class
     * comment); what it frees last (the locks) is what a receive still in flight may use until
     * NdisCloseAdapterEx returns.
     */
    NdisStatus unbind() {
        driver.unbound(this);
        boolean hostsGone = api.rundown().waitForRundown(CLOSE_WAIT_MILLISECONDS);
        data.beginClose();
        Ndis.cancelTimerObject(timer); // periodic: NDIS flushes the tick's DPC before returning
        Ndis.freeTimerObject(timer);
        arp.close();
        icmp.close();
        boolean sendsDone = data.awaitIdle(CLOSE_WAIT_MILLISECONDS);
        boolean oidsDone = control.close(CLOSE_WAIT_MILLISECONDS);
        if (!hostsGone || !sendsDone || !oidsDone) {
            throw new IllegalStateException(adapterName + ": unbind waited " + CLOSE_WAIT_MILLISECONDS + " ms for "
                    + (hostsGone ? "" : "host calls ") + (sendsDone ? "" : data.outstanding() + " sends ")
                    + (oidsDone ? "" : "an OID request"));
        }
        NdisStatus status = Ndis.closeAdapterEx(handle);
        data.freePool();
        freeLocks();
        return status;
    }

    private void freeLocks() {
        control.free();
        arp.free();
        icmp.free();
    }

    // ---- what NDIS indicates ------------------------------------------------------------------

    /** ProtocolStatusEx. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void statusEx(NdisStatusIndication indication) {
        if (indication.statusCode() != NdisStatus.LINK_STATE
                || !(indication.statusBuffer() instanceof NdisLinkState state)) {
            return;
        }
        counters.increment(IpCounter.LINK_CHANGES);
        LinkEvent event = new LinkEvent(
                state.isConnected(),
                state.xmitLinkSpeed(),
                Ke.getCurrentIrql(),
                CurrentThread.kind(),
                Thread.currentThread().getName(),
                handle.kernel().queryInterruptTime());
        synchronized (linkEvents) {
            if (linkEvents.size() == LINK_EVENTS_KEPT) {
                linkEvents.removeFirst();
            }
            linkEvents.addLast(event);
        }
        boolean wasUp = linkUp;
        linkUp = state.isConnected();
        if (linkUp && !wasUp) {
            announce = true; // gratuitous ARP, and resolutions in progress ask again, on the next tick
            arp.retryNow(now());
        }
        api.linkChanged(event);
    }

    /** ProtocolReceiveNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void receive(NetBufferList nbls, int receiveFlags) {
        data.receive(this, nbls, receiveFlags, this::frameReceived);
    }

    /** One received frame: for this station? then by EtherType. */
    private void frameReceived(ByteBuf frame, int offset, int length) {
        if (length < Ethernet.HEADER_LENGTH) {
            counters.increment(IpCounter.RUNTS);
            return;
        }
        long destination = Ethernet.destination(frame, offset);
        if (destination != macAddress && !Ethernet.isGroup(destination)) {
            counters.increment(IpCounter.OTHER_HOST); // the NIC is promiscuous
            return;
        }
        int payload = offset + Ethernet.HEADER_LENGTH;
        int payloadLength = length - Ethernet.HEADER_LENGTH;
        switch (Ethernet.etherType(frame, offset)) {
            case Ethernet.ETHERTYPE_IPV4 -> ip.receive(frame, payload, payloadLength);
            case Ethernet.ETHERTYPE_ARP -> arp.receive(frame, payload, payloadLength);
            case Ethernet.ETHERTYPE_VLAN -> counters.increment(IpCounter.VLAN_TAGGED);
            default -> counters.increment(IpCounter.UNKNOWN_ETHERTYPE);
        }
    }

    /** ProtocolSendNetBufferListsComplete. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void sendComplete(NetBufferList nbls) {
        data.sendComplete(nbls);
    }

    /** ProtocolOidRequestComplete. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void oidRequestComplete(NdisOidRequest request, NdisStatus status) {
        control.complete(request, status);
    }

    /** The binding's timer function. Runs at DISPATCH_LEVEL. */
    private static void tick(IpBinding binding, NdisTimer timer) {
        long now = binding.now();
        if (binding.announce && binding.linkUp) {
            binding.announce = false;
            binding.arp.announce();
        }
        binding.arp.tick(now);
        binding.icmp.tick(now);
    }

    // ---- for the host API ---------------------------------------------------------------------

    /** OID_GEN_CURRENT_PACKET_FILTER (it pends: NDIS queues it for MiniportOidRequest). */
    boolean setPacketFilter(int filter, Consumer<NdisStatus> done) {
        return control.request(NdisOidRequest.setUlong(Oid.OID_GEN_CURRENT_PACKET_FILTER, filter), status -> {
            if (status.isSuccess()) {
                packetFilter = filter;
            }
            done.accept(status);
        });
    }

    boolean setPromiscuous(boolean on, Consumer<NdisStatus> done) {
        return setPacketFilter(on ? PACKET_FILTER | NDIS_PACKET_TYPE_PROMISCUOUS : PACKET_FILTER, done);
    }

    int packetFilter() {
        return packetFilter;
    }

    List<LinkEvent> linkEvents() {
        synchronized (linkEvents) {
            return new ArrayList<>(linkEvents);
        }
    }

    // ---- the binding context ------------------------------------------------------------------

    /** Kernel time in nanoseconds (KeQueryInterruptTime, 100-ns units, scaled). */
    long now() {
        return handle.kernel().queryInterruptTime() * 100;
    }

    NdisBindingHandle handle() {
        return handle;
    }

    boolean isLinkUp() {
        return linkUp;
    }

    long macAddress() {
        return macAddress;
    }

    String adapterName() {
        return adapterName;
    }

    InterfaceConfig config() {
        return config;
    }

    IpCounters counters() {
        return counters;
    }

    IpDataPath data() {
        return data;
    }

    IpControlPath control() {
        return control;
    }

    Arp arp() {
        return arp;
    }

    Ipv4 ip() {
        return ip;
    }

    Icmp icmp() {
        return icmp;
    }

    Udp udp() {
        return udp;
    }

    IpInterface api() {
        return api;
    }
}
