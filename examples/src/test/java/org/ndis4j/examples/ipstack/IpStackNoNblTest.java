package org.ndis4j.examples.ipstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.IpHost;
import org.ndis4j.kernel.Kernel;
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
 * ipstack's send path when NdisAllocateNetBufferList returns NULL (as the WDK allows): the datagram
 * is refused and counted (SEND_NO_RESOURCES), nothing goes on the wire, and the next send works.
 */
@ExtendWith(KernelExtension.class)
class IpStackNoNblTest {

    static final long NIC = Addresses.mac("02:4e:44:00:00:01");
    static final long PEER = Addresses.mac("02:4e:44:00:00:02");
    static final int NIC_IP = Addresses.ipv4("192.0.2.1");
    static final int PEER_IP = Addresses.ipv4("192.0.2.2");

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
        peer.send(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).arpRequest(PEER_IP, NIC_IP));
        peer.awaitFrame("the ARP reply", f -> f.isArp() && f.arp().isReply());
    }

    @AfterEach
    void shutDown() {
        try {
            host.close();
            assertThat(host.memory().allocatedBytes())
                    .as("shared memory after halt")
                    .isZero();
        } finally {
            peer.close();
        }
    }

    @Test
    void aDatagramWithNoNblIsRefusedAndCountedAndTheNextOneGoes() {
        long refusedBefore = host.ip().statistics().get(IpCounter.SEND_NO_RESOURCES);
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.NET_BUFFER_LIST, 1);

        assertThat(host.ip().sendUdp(PEER_IP, 5000, 6000, new byte[] {1})).isFalse();

        assertThat(host.ip().statistics().get(IpCounter.SEND_NO_RESOURCES)).isEqualTo(refusedBefore + 1);
        assertThat(host.ip().sendUdp(PEER_IP, 5000, 6000, new byte[] {2})).isTrue();
        Frame sent = peer.awaitFrame("the second datagram", Frame::isUdp);
        assertThat(sent.udp().payload())
                .containsExactly(2); // the first UDP frame on the wire: the refused one never went
    }
}
