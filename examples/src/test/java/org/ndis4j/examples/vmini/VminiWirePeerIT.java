package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_BROADCAST;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_DIRECTED;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.Frame;
import org.ndis4j.testing.FrameBuilder;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.wire.TcpWirePort;
import org.ndis4j.wire.WirePeer;

/**
 * vmini against the other end of a real cable: its NIC listens on loopback TCP in QEMU stream
 * framing, as a QEMU guest's netdev would, and a wire peer connects and plays a remote host — ARP,
 * ping, UDP — then pulls the cable and plugs it back in.
 */
@ExtendWith(KernelExtension.class)
class VminiWirePeerIT {

    static final MacAddress NIC = MacAddress.of("02:4e:44:00:0c:01");
    static final long HOST = Addresses.mac("02:4e:44:00:0d:01");
    static final int NIC_IP = Addresses.ipv4("192.0.2.1");
    static final int HOST_IP = Addresses.ipv4("192.0.2.2");

    VminiStation station;
    WirePeer host;

    @BeforeEach
    void plugIn(Kernel kernel) {
        TcpWirePort wire = TcpWirePort.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        station = new VminiStation(kernel, "vnic-c", wire, NIC);
        host = WirePeer.connect(wire.localAddress());
        station.protocol.awaitLinkState("link up", NdisLinkState::isConnected);
        assertThat(station.setPacketFilter(NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST))
                .isEqualTo(NdisStatus.SUCCESS);
    }

    @AfterEach
    void unplug() {
        try {
            if (station != null) {
                station.close();
            }
        } finally {
            if (host != null) {
                host.close();
            }
        }
    }

    @Test
    void aRemoteHostResolvesPingsAndSendsUdpToTheStation() {
        // ARP: the host asks, the protocol (standing in for the stack) answers through vmini.
        host.send(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, HOST).arpRequest(HOST_IP, NIC_IP));
        Frame who = station.protocol.awaitReceive("the ARP request", Frame::isArp);
        assertThat(who.arp().senderMac()).isEqualTo(HOST);
        station.protocol.send(FrameBuilder.ethernet(HOST, NIC.value()).arpReply(NIC_IP, HOST, HOST_IP));
        Frame isAt = host.awaitFrame("the ARP reply", f -> f.isArp() && f.arp().isReply());
        assertThat(isAt.arp().senderMac()).isEqualTo(NIC.value());
        assertThat(isAt.arp().senderIp()).isEqualTo(NIC_IP);

        // Ping: an echo request in, the echo reply out, checksums verified on both sides.
        byte[] data = "ndis4j".getBytes(StandardCharsets.US_ASCII);
        host.send(FrameBuilder.ethernet(NIC.value(), HOST).ipv4(HOST_IP, NIC_IP).icmpEchoRequest(77, 1, data));
        Frame ping = station.protocol.awaitReceive(
                "the echo request", f -> f.isIcmp() && f.icmp().isEchoRequest());
        station.protocol.send(FrameBuilder.ethernet(HOST, NIC.value())
                .ipv4(NIC_IP, HOST_IP)
                .icmpEchoReply(
                        ping.icmp().identifier(),
                        ping.icmp().sequence(),
                        ping.icmp().data()));
        Frame pong =
                host.awaitFrame("the echo reply", f -> f.isIcmp() && f.icmp().isEchoReply());
        assertThat(pong.icmp().identifier()).isEqualTo(77);
        assertThat(pong.icmp().data()).isEqualTo(data);

        // UDP, a tagged frame and a frame for another host: the packet filter lets the first through.
        byte[] datagram =
                FrameBuilder.ethernet(NIC.value(), HOST).ipv4(HOST_IP, NIC_IP).udp(5353, 9, data);
        byte[] elsewhere =
                FrameBuilder.ethernet(Addresses.mac("02:00:00:00:00:77"), HOST).testPattern(60, 1);
        byte[] sentinel = FrameBuilder.ethernet(NIC.value(), HOST).testPattern(61, 2);
        long before = station.protocol.receivedCount();
        host.send(List.of(datagram, elsewhere, sentinel));
        station.protocol.awaitReceive("the sentinel", f -> f.length() == 61);
        assertThat(station.protocol.receivedCount()).isEqualTo(before + 2);
        assertThat(station.protocol.received()).contains(datagram).doesNotContain(elsewhere);

        assertThat(host.framesSent()).isEqualTo(5);
        assertThat(host.framesReceived()).isEqualTo(2);
        assertThat(host.sendsDropped()).isZero();
    }

    @Test
    void theLinkFollowsTheConnection() {
        InetSocketAddress nicWire = ((TcpWirePort) station.wire).localAddress();
        host.close(); // the peer hangs up: carrier down on the NIC's side
        station.protocol.awaitLinkState("link down", s -> !s.isConnected());
        assertThat(station.protocol.lastLinkIndication().irql()).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(station.protocol.lastLinkIndication().thread()).contains("CriticalWorkQueue");

        host = WirePeer.connect(nicWire); // plugged back in
        station.protocol.awaitLinkState("link up again", NdisLinkState::isConnected);
        host.send(FrameBuilder.ethernet(NIC.value(), HOST).testPattern(100, 3));
        assertThat(station.protocol
                        .awaitReceive("the frame after the replug", f -> f.length() == 100)
                        .source())
                .isEqualTo(HOST);
    }
}
