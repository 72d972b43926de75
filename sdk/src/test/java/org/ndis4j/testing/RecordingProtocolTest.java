package org.ndis4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * The recording protocol over a miniport that loops every send back as a receive, indicates its
 * link from a work item, and pends the packet filter OID.
 */
@ExtendWith(KernelExtension.class)
class RecordingProtocolTest {

    static final long ME = Addresses.mac("02:00:00:00:00:08");
    static final long PEER = Addresses.mac("02:00:00:00:00:09");
    static final int MY_IP = Addresses.ipv4("198.51.100.8");
    static final int PEER_IP = Addresses.ipv4("198.51.100.9");

    RecordingProtocol protocol;

    @BeforeEach
    void bind(Kernel kernel) {
        protocol = RecordingProtocol.bind(KitMiniport.start(kernel, KitMiniport.Bug.NONE));
    }

    @Test
    void theLinkIndicationIsRecordedWithWhereItRan() {
        NdisLinkState up = protocol.awaitLinkState("link up", NdisLinkState::isConnected);
        assertThat(up.xmitLinkSpeed()).isEqualTo(1_000_000_000L);
        RecordingProtocol.LinkIndication indication = protocol.lastLinkIndication();
        assertThat(indication.state()).isEqualTo(up);
        assertThat(indication.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(indication.thread()).contains("CriticalWorkQueue");
        assertThat(protocol.statusIndications())
                .anySatisfy(s -> assertThat(s.indication().statusCode()).isEqualTo(NdisStatus.LINK_STATE));
    }

    @Test
    void aPendingPacketFilterRequestIsWaitedOut() {
        assertThat(protocol.setPacketFilter(NdisPacketType.NDIS_PACKET_TYPE_DIRECTED))
                .isEqualTo(NdisStatus.SUCCESS);
        assertThat(protocol.setMulticastList(Addresses.mac("01:00:5e:00:00:fb"), Addresses.mac("33:33:00:00:00:01")))
                .isEqualTo(NdisStatus.SUCCESS);
        assertThat(protocol.request(NdisOidRequest.query(Oid.OID_GEN_INTERRUPT_MODERATION, 64)))
                .isEqualTo(NdisStatus.NOT_SUPPORTED);
    }

    @Test
    void sentFramesAreRecordedAsTheyComeBack() {
        byte[] udp = FrameBuilder.ethernet(PEER, ME).ipv4(MY_IP, PEER_IP).udp(5000, 7, new byte[] {1, 2, 3});
        byte[] arp = FrameBuilder.ethernet(Addresses.BROADCAST_MAC, ME).arpRequest(MY_IP, PEER_IP);
        byte[] pattern = FrameBuilder.ethernet(PEER, ME).testPattern(1514, 1);
        protocol.send(List.of(udp, arp, pattern));

        Frame echoed = protocol.awaitReceive("the UDP datagram", Frame::isUdp);
        assertThat(echoed.udp().destinationPort()).isEqualTo(7);
        assertThat(protocol.awaitReceive("the ARP request", Frame::isArp).arp().targetIp())
                .isEqualTo(PEER_IP);
        protocol.awaitReceivedCount(3);
        protocol.awaitSendCompletions(3);
        assertThat(protocol.received()).containsExactly(udp, arp, pattern);
        assertThat(protocol.indicationSizes()).containsExactly(1, 1, 1);
        assertThat(protocol.sendCompletions())
                .containsExactly(NdisStatus.SUCCESS, NdisStatus.SUCCESS, NdisStatus.SUCCESS);
        assertThat(protocol.sendsOutstanding()).isZero();
    }

    @Test
    void successiveAwaitsSeeSuccessiveFrames() {
        byte[] first = FrameBuilder.ethernet(PEER, ME).testPattern(64, 1);
        byte[] second = FrameBuilder.ethernet(PEER, ME).testPattern(64, 2);
        protocol.send(List.of(first, first, second));
        assertThat(protocol.awaitReceive("a test frame", f -> true).bytes()).isEqualTo(first);
        assertThat(protocol.awaitReceive("a test frame", f -> true).bytes()).isEqualTo(first);
        assertThat(protocol.awaitReceive("a test frame", f -> true).bytes()).isEqualTo(second);
        assertThatThrownBy(() -> protocol.awaitReceive("a fourth frame", Duration.ofMillis(100), f -> true))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 100 ms waiting for: a fourth frame");
    }

    @Test
    void aReceivedFrameWithABadChecksumFailsTheAwait() {
        byte[] udp = FrameBuilder.ethernet(PEER, ME).ipv4(MY_IP, PEER_IP).udp(5000, 7, new byte[] {1, 2, 3});
        udp[udp.length - 1] = 4; // the payload changed after the checksum was computed
        protocol.send(udp);
        assertThatThrownBy(() -> protocol.awaitReceive("the UDP datagram", Frame::isUdp))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("bad frame 02:00:00:00:00:08 > 02:00:00:00:00:09")
                .hasMessageContaining("UDP checksum is");
        assertThat(protocol.received()).containsExactly(udp); // recorded as it came
    }
}
