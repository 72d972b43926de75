package org.ndis4j.examples.vlanfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.ThreadKind;
import org.ndis4j.ndis.filter.FilterModuleState;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.HandleKind;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.Frame;
import org.ndis4j.testing.FrameBuilder;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.FaultInjection;
import org.ndis4j.wire.InMemoryWire;
import org.ndis4j.wire.WirePeer;

/**
 * vlanfilter between vmini and ipstack on one host, against the kit's wire peer: the policy set and
 * queried through its vendor OID (down ipstack's binding, as a management tool's request would go),
 * applied by the work item at PASSIVE_LEVEL, and what it changes on the wire.
 */
@ExtendWith(KernelExtension.class)
class VlanFilterTest {

    static final long NIC = Addresses.mac("02:4e:44:00:00:01");
    static final long PEER = Addresses.mac("02:4e:44:00:00:02");
    static final int NIC_IP = Addresses.ipv4("192.0.2.1");
    static final int PEER_IP = Addresses.ipv4("192.0.2.2");

    WirePeer peer;
    IpHost host;
    VlanFilterModule module;

    @BeforeEach
    void boot(Kernel kernel) {
        InMemoryWire cable = InMemoryWire.pair();
        peer = WirePeer.on(cable.b());
        host = IpHost.builder("host", cable.a())
                .kernel(kernel)
                .mac(new MacAddress(NIC))
                .address(InterfaceConfig.of(NIC_IP, 24))
                .start();
        module = host.filter().orElseThrow();
        Await.until("ipstack's link up", host.ip()::isLinkUp);
        peer.awaitFrame("ipstack's gratuitous ARP", f -> f.isArp() && f.arp().targetIp() == NIC_IP);
    }

    @AfterEach
    void shutDown() {
        try {
            host.close();
        } finally {
            peer.close();
        }
    }

    /** An OID request down ipstack's binding, through the filter; its final status. */
    NdisStatus request(NdisOidRequest request) {
        CompletableFuture<NdisStatus> done = new CompletableFuture<>();
        assertThat(host.ip().oidRequest(request, done::complete)).isTrue();
        return Await.result("the OID request", done);
    }

    NdisStatus setPolicy(VlanPolicy policy) {
        return request(policy.setRequest());
    }

    VlanFilterStatistics statistics() {
        NdisOidRequest query = VlanFilterStatistics.queryRequest();
        assertThat(request(query)).isEqualTo(NdisStatus.SUCCESS);
        return VlanFilterStatistics.fromBytes(query.result());
    }

    void introducePeer(FrameBuilder fromPeer) {
        peer.send(fromPeer.arpRequest(PEER_IP, NIC_IP));
        peer.awaitFrame("the ARP reply", f -> f.isArp() && f.arp().isReply());
    }

    @Test
    void theWorkItemIsAllocatedWithTheFilterModuleHandleAndFreedAtDetach() {
        NdisIoWorkItem item = module.workItem();
        assertThat(item.owner().kind()).isEqualTo(HandleKind.FILTER_MODULE);
        assertThat(AdapterView.of(host.adapter()).filters()).containsExactly((NdisFilterModuleHandle) item.owner());
        assertThat(module.state()).isEqualTo(FilterModuleState.Running);

        host.removeDevice();
        assertThat(item.isFreed()).isTrue();
        assertThat(module.state()).isEqualTo(FilterModuleState.Paused);
    }

    @Test
    void aPolicySetPendsAndTheWorkItemAppliesItAtPassiveLevelOnAWorkerThread() {
        long pendedBefore = host.ip().statistics().get(IpCounter.OIDS_PENDED);
        VlanPolicy policy = new VlanPolicy(100, 5, new int[] {0x86DD});

        assertThat(setPolicy(policy)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(host.ip().statistics().get(IpCounter.OIDS_PENDED)).isEqualTo(pendedBefore + 1);
        VlanFilterModule.PolicyApplication applied = module.lastApplication();
        assertThat(applied.policy()).isEqualTo(policy);
        assertThat(applied.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(applied.threadKind()).isEqualTo(ThreadKind.WORKER);
        assertThat(applied.thread()).contains("CriticalWorkQueue");
        assertThat(applied.workItem()).isSameAs(module.workItem());

        NdisOidRequest query = VlanPolicy.queryRequest();
        assertThat(request(query)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(VlanPolicy.fromBytes(query.result(), query.bytesWritten())).isEqualTo(policy);
    }

    @Test
    void badPoliciesAndShortBuffersAreRefusedAsNdisSays() {
        NdisOidRequest shortSet = NdisOidRequest.set(VlanFilterOids.OID_VLANFILTER_POLICY, new byte[8]);
        assertThat(request(shortSet)).isEqualTo(NdisStatus.INVALID_LENGTH);
        assertThat(shortSet.bytesNeeded()).isEqualTo(VlanPolicy.SIZE);

        byte[] badVlan = VlanPolicy.vlan(7).toBytes();
        badVlan[4] = (byte) 0xff;
        badVlan[5] = (byte) 0x0f; // VLAN 4095 is reserved
        assertThat(request(NdisOidRequest.set(VlanFilterOids.OID_VLANFILTER_POLICY, badVlan)))
                .isEqualTo(NdisStatus.INVALID_DATA);

        NdisOidRequest shortQuery = NdisOidRequest.query(VlanFilterOids.OID_VLANFILTER_POLICY, 4);
        assertThat(request(shortQuery)).isEqualTo(NdisStatus.BUFFER_TOO_SHORT);
        assertThat(shortQuery.bytesNeeded()).isEqualTo(VlanPolicy.SIZE);
        assertThat(module.policy()).isEqualTo(VlanPolicy.NONE);
        assertThatThrownBy(() -> new VlanPolicy(0, 8, new int[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherOidsPassThroughTheFilterToTheMiniport() {
        NdisOidRequest statistics = NdisOidRequest.query(Oid.OID_GEN_STATISTICS, NdisStatisticsInfo.SIZE);
        assertThat(request(statistics)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(statistics.bytesWritten()).isEqualTo(NdisStatisticsInfo.SIZE);
        // FilterOidRequestComplete is not overridden: NDIS passed the completion straight up.
        assertThatThrownBy(() -> VlanFilterDriver.class.getDeclaredMethod(
                        "oidRequestComplete", VlanFilterModule.class, NdisOidRequest.class, NdisStatus.class))
                .isInstanceOf(NoSuchMethodException.class);
    }

    @Test
    void droppingIpv4ChangesWhatPassesBothWays() {
        introducePeer(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER));
        assertThat(setPolicy(VlanPolicy.dropping(0x0800))).isEqualTo(NdisStatus.SUCCESS);

        peer.send(FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).icmpEchoRequest(1, 1, new byte[8]));
        assertThat(Await.result("the ping timed out", host.ping(PEER_IP, 2, 1, 8, Duration.ofMillis(300))))
                .isEmpty();
        VlanFilterStatistics s = statistics();
        assertThat(s.policyDropsReceive()).isEqualTo(1);
        assertThat(s.policyDropsSend()).isEqualTo(1);
        assertThat(host.ip().statistics().get(IpCounter.ICMP_ECHO_REQUESTS_RECEIVED))
                .isZero();
        assertThat(host.ip().statistics().get(IpCounter.SEND_FAILURES)).isEqualTo(1);
        assertThat(peer.received().stream().map(Frame::parse).filter(Frame::isIpv4))
                .isEmpty();

        assertThat(setPolicy(VlanPolicy.NONE)).isEqualTo(NdisStatus.SUCCESS);
        peer.send(FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).icmpEchoRequest(1, 2, new byte[8]));
        assertThat(peer.awaitFrame("the echo reply", Frame::isIcmp).icmp().sequence())
                .isEqualTo(2);
    }

    @Test
    void aVlanTagsWhatIpstackSendsAndStripsWhatItReceives() {
        assertThat(setPolicy(new VlanPolicy(100, 5, new int[0]))).isEqualTo(NdisStatus.SUCCESS);

        // Untagged, and tagged with another VLAN: not for this interface.
        peer.send(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).arpRequest(PEER_IP, NIC_IP));
        peer.send(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).vlan(200).arpRequest(PEER_IP, NIC_IP));
        peer.send(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER)
                .vlan(5, 100)
                .arpRequest(PEER_IP, NIC_IP));

        Frame reply = peer.awaitFrame(
                "the tagged ARP reply", f -> f.isArp() && f.arp().isReply());
        // ipstack padded its 42-byte reply to 60; the filter inserted the 4-byte tag after the addresses.
        assertThat(reply.bytes())
                .isEqualTo(Arrays.copyOf(
                        FrameBuilder.ethernet(PEER, NIC).vlan(5, 100).arpReply(NIC_IP, PEER, PEER_IP), 64));
        assertThat(reply.vlan().id()).isEqualTo(100);
        assertThat(reply.vlan().priority()).isEqualTo(5);
        VlanFilterStatistics s = statistics();
        assertThat(s.vlanMismatchDrops()).isEqualTo(2);
        assertThat(s.tagsStripped()).isEqualTo(1);
        assertThat(s.tagsInserted()).isGreaterThanOrEqualTo(1);
        assertThat(host.ip().statistics().get(IpCounter.ARP_REPLIES_SENT)).isEqualTo(1);
    }

    @Test
    void countsFramesPerEtherTypeInBothDirections() {
        introducePeer(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER));
        peer.send(FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).icmpEchoRequest(1, 1, new byte[8]));
        peer.awaitFrame("the echo reply", Frame::isIcmp);
        peer.send(FrameBuilder.ethernet(NIC, PEER).payload(0x88B5, new byte[46]));
        Await.until("the experimental frame", () -> host.ip().statistics().get(IpCounter.UNKNOWN_ETHERTYPE) == 1);

        VlanFilterStatistics s = statistics();
        assertThat(s.received(0x0806)).isEqualTo(1);
        assertThat(s.received(0x0800)).isEqualTo(1);
        assertThat(s.received(0x88B5)).isEqualTo(1);
        assertThat(s.sent(0x0800)).isEqualTo(1);
        assertThat(s.sent(0x0806)).isEqualTo(2); // the gratuitous ARP at link up, and the reply
        assertThat(s.drops()).isZero();
        assertThat(module.statistics()).isEqualTo(s);
    }

    @Test
    void pauseAndRestartStopAndResumeTheModule() {
        introducePeer(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER));
        PnpManager pnp = PnpManager.of(host.kernel()); // the host's machine (a Kernel parameter boots another)
        pnp.pause(host.adapter());
        assertThat(module.state()).isEqualTo(FilterModuleState.Paused);
        assertThat(pnp.restart(host.adapter())).isEqualTo(NdisStatus.SUCCESS);
        assertThat(module.state()).isEqualTo(FilterModuleState.Running);

        peer.send(FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).icmpEchoRequest(1, 7, new byte[8]));
        assertThat(peer.awaitFrame("the echo reply", Frame::isIcmp).icmp().sequence())
                .isEqualTo(7);
    }

    /**
     * The receive path when NdisAllocateNetBufferList returns NULL (as the WDK allows) for the
     * untagged copy the filter indicates up: the tagged frame goes back to the miniport, counted as a
     * resource drop, nothing reaches ipstack, and the next frame of the VLAN goes through. (The send
     * path's copy fails the same way, in the same helper shape; it is not reached here because
     * ipstack's own NBL allocation comes first on that path, and a failure injected there stops in
     * ipstack.)
     */
    @Test
    void aTaggedFrameWithNoNblForItsCopyIsDroppedAndCountedAndTheNextOneGoesUp() {
        int vlan = 100;
        assertThat(setPolicy(new VlanPolicy(vlan, 0, new int[0]))).isEqualTo(NdisStatus.SUCCESS);
        long arpBefore = host.ip().statistics().get(IpCounter.ARP_RECEIVED);
        FaultInjection.of(host.kernel()).failNext(FaultInjection.Allocation.NET_BUFFER_LIST, 1);

        peer.send(
                FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).vlan(vlan).arpRequest(PEER_IP, NIC_IP));
        Await.until("the resource drop", () -> statistics().resourceDrops() == 1);
        assertThat(host.ip().statistics().get(IpCounter.ARP_RECEIVED))
                .as("the dropped request never reached ipstack")
                .isEqualTo(arpBefore);

        peer.send(
                FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).vlan(vlan).arpRequest(PEER_IP, NIC_IP));
        Frame reply = peer.awaitFrame(
                "the tagged ARP reply", f -> f.isArp() && f.arp().isReply());
        assertThat(reply.vlan().id()).isEqualTo(vlan);
        VlanFilterStatistics s = statistics();
        assertThat(s.resourceDrops()).isEqualTo(1);
        assertThat(s.tagsStripped()).isEqualTo(1);
        assertThat(host.ip().statistics().get(IpCounter.ARP_RECEIVED)).isEqualTo(arpBefore + 1);
    }
}
