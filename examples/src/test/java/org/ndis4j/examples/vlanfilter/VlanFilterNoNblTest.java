package org.ndis4j.examples.vlanfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.oid.NdisOidRequest;
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
 * vlanfilter's receive path when NdisAllocateNetBufferList returns NULL (as the WDK allows) for the
 * untagged copy it indicates up: the tagged frame goes back to the miniport, counted as a resource
 * drop, nothing reaches ipstack, and the next frame of the VLAN goes through. (The send path's copy
 * fails the same way, in the same helper shape; it is not reached here because ipstack's own NBL
 * allocation comes first on that path, and a failure injected there stops in ipstack.)
 */
@ExtendWith(KernelExtension.class)
class VlanFilterNoNblTest {

    static final long NIC = Addresses.mac("02:4e:44:00:00:01");
    static final long PEER = Addresses.mac("02:4e:44:00:00:02");
    static final int NIC_IP = Addresses.ipv4("192.0.2.1");
    static final int PEER_IP = Addresses.ipv4("192.0.2.2");
    static final int VLAN = 100;

    Kernel kernel;
    WirePeer peer;
    IpHost host;

    @BeforeEach
    void boot(Kernel kernel) {
        this.kernel = kernel;
        InMemoryWire cable = InMemoryWire.pair();
        peer = WirePeer.on(cable.b());
        host = IpHost.builder("host", cable.a())
                .kernel(kernel)
                .mac(new MacAddress(NIC))
                .address(InterfaceConfig.of(NIC_IP, 24))
                .start();
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

    @Test
    void aTaggedFrameWithNoNblForItsCopyIsDroppedAndCountedAndTheNextOneGoesUp() {
        assertThat(request(new VlanPolicy(VLAN, 0, new int[0]).setRequest())).isEqualTo(NdisStatus.SUCCESS);
        long requestsBefore = host.ip().statistics().get(IpCounter.ARP_RECEIVED);
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.NET_BUFFER_LIST, 1);

        peer.send(
                FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).vlan(VLAN).arpRequest(PEER_IP, NIC_IP));
        Await.until("the resource drop", () -> statistics().resourceDrops() == 1);
        assertThat(host.ip().statistics().get(IpCounter.ARP_RECEIVED))
                .as("the dropped request never reached ipstack")
                .isEqualTo(requestsBefore);

        peer.send(
                FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).vlan(VLAN).arpRequest(PEER_IP, NIC_IP));
        Frame reply = peer.awaitFrame(
                "the tagged ARP reply", f -> f.isArp() && f.arp().isReply());
        assertThat(reply.vlan().id()).isEqualTo(VLAN);
        VlanFilterStatistics s = statistics();
        assertThat(s.resourceDrops()).isEqualTo(1);
        assertThat(s.tagsStripped()).isEqualTo(1);
        assertThat(host.ip().statistics().get(IpCounter.ARP_RECEIVED)).isEqualTo(requestsBefore + 1);
    }

    private NdisStatus request(NdisOidRequest request) {
        CompletableFuture<NdisStatus> done = new CompletableFuture<>();
        assertThat(host.ip().oidRequest(request, done::complete)).isTrue();
        return Await.result("the OID request", done);
    }

    private VlanFilterStatistics statistics() {
        NdisOidRequest query = VlanFilterStatistics.queryRequest();
        assertThat(request(query)).isEqualTo(NdisStatus.SUCCESS);
        return VlanFilterStatistics.fromBytes(query.result());
    }
}
