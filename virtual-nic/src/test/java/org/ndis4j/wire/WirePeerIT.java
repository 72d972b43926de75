package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.Frame;
import org.ndis4j.testing.FrameBuilder;

/**
 * The wire peer over real loopback TCP, against a peer that writes and reads the QEMU stream
 * framing by hand ({@link RawPeer}), and against another wire peer.
 */
@ExtendWith(LeakCheck.class)
class WirePeerIT {

    static final long A = Addresses.mac("02:00:00:00:0a:01");
    static final long B = Addresses.mac("02:00:00:00:0b:01");
    static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private WirePeer listening;
    private WirePeer connecting;

    @AfterEach
    void close() {
        if (connecting != null) {
            connecting.close();
        }
        if (listening != null) {
            listening.close();
        }
    }

    @Test
    void aListeningPeerSpeaksTheFramingByteForByte() throws Exception {
        listening = WirePeer.listen(ANY_LOOPBACK_PORT);
        assertThat(listening.localAddress().getPort()).isPositive();
        byte[] toPeer = FrameBuilder.ethernet(A, B).testPattern(1514, 1);
        byte[] fromPeer = FrameBuilder.ethernet(B, A)
                .ipv4(Addresses.ipv4("192.0.2.1"), Addresses.ipv4("192.0.2.2"))
                .icmpEchoRequest(1, 1, new byte[] {1, 2, 3, 4});
        try (RawPeer raw = new RawPeer(listening.localAddress())) {
            listening.awaitCarrier(true);
            raw.send(toPeer); // 4-byte big-endian length, then the frame
            assertThat(listening.awaitFrame("the raw peer's frame", f -> true).bytes())
                    .isEqualTo(toPeer);
            assertThat(listening.send(fromPeer)).isTrue();
            assertThat(raw.receive(Duration.ofSeconds(10))).isEqualTo(fromPeer);
        }
        listening.awaitCarrier(false);
        assertThat(listening.framesReceived()).isEqualTo(1);
        assertThat(listening.bytesReceived()).isEqualTo(1514);
        assertThat(listening.framesSent()).isEqualTo(1);
    }

    @Test
    void aConnectingPeerReachesAListeningOne() {
        listening = WirePeer.listen(ANY_LOOPBACK_PORT);
        connecting = WirePeer.connect(listening.localAddress());
        connecting.awaitCarrier(true);
        listening.awaitCarrier(true);
        List<byte[]> burst = List.of(
                FrameBuilder.ethernet(A, B).testPattern(60, 1),
                FrameBuilder.ethernet(A, B).vlan(3).testPattern(9018, 2),
                FrameBuilder.ethernet(Addresses.BROADCAST_MAC, B)
                        .arpRequest(Addresses.ipv4("192.0.2.2"), Addresses.ipv4("192.0.2.1")));
        assertThat(connecting.send(burst)).isEqualTo(3);
        listening.awaitFramesReceived(3);
        assertThat(listening.received()).containsExactlyElementsOf(burst);
        assertThat(listening.awaitFrame("the ARP request", Frame::isArp).arp().isRequest())
                .isTrue();
    }
}
