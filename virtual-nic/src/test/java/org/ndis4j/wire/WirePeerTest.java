package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.Frame;
import org.ndis4j.testing.FrameBuilder;

/** Two wire peers on the ends of an in-memory cable. */
@ExtendWith(LeakCheck.class)
class WirePeerTest {

    static final long A = Addresses.mac("02:00:00:00:0a:01");
    static final long B = Addresses.mac("02:00:00:00:0b:01");

    private final InMemoryWire cable = InMemoryWire.pair();
    private final WirePeer a = WirePeer.on(cable.a());
    private final WirePeer b = WirePeer.on(cable.b());

    @AfterEach
    void unplug() {
        a.close();
        b.close();
    }

    @Test
    void framesCrossAndAreCountedBothWays() {
        byte[] first = FrameBuilder.ethernet(B, A).testPattern(60, 1);
        byte[] second = FrameBuilder.ethernet(B, A)
                .ipv4(Addresses.ipv4("192.0.2.1"), Addresses.ipv4("192.0.2.2"))
                .udp(1000, 2000, new byte[] {7});
        assertThat(a.send(List.of(first, second))).isEqualTo(2);
        Frame udp = b.awaitFrame("the datagram", Frame::isUdp);
        assertThat(udp.udp().payload()).containsExactly(7);
        b.awaitFramesReceived(2);
        assertThat(b.received()).containsExactly(first, second);
        assertThat(b.framesReceived()).isEqualTo(2);
        assertThat(b.bytesReceived()).isEqualTo(first.length + second.length);
        assertThat(a.framesSent()).isEqualTo(2);
        assertThat(a.bytesSent()).isEqualTo(first.length + second.length);
        assertThat(a.sendsDropped()).isZero();

        assertThat(b.send(FrameBuilder.ethernet(A, B).testPattern(64, 2))).isTrue();
        assertThat(a.awaitFrame("B's frame", f -> f.source() == B).length()).isEqualTo(64);
    }

    @Test
    void awaitsLookAtFramesInOrderAndVerifyThem() {
        byte[] good = FrameBuilder.ethernet(B, A).testPattern(60, 1);
        byte[] bad = FrameBuilder.ethernet(B, A)
                .ipv4(Addresses.ipv4("192.0.2.1"), Addresses.ipv4("192.0.2.2"))
                .udp(1000, 2000, new byte[] {7});
        bad[bad.length - 1] = 8; // payload changed after the checksum
        a.send(List.of(good, good, bad));
        assertThat(b.awaitFrame("a test frame", f -> f.etherType() == Frame.ETHERTYPE_EXPERIMENTAL)
                        .bytes())
                .isEqualTo(good);
        assertThat(b.awaitFrame("a test frame", f -> f.etherType() == Frame.ETHERTYPE_EXPERIMENTAL)
                        .bytes())
                .isEqualTo(good);
        assertThatThrownBy(() -> b.awaitFrame("the datagram", Frame::isUdp))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("UDP checksum is");
        assertThatThrownBy(() -> b.awaitFrame("one more", Duration.ofMillis(50), f -> true))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 50 ms waiting for: one more");
    }

    @Test
    void aCutCableIsCarrierDownAndDropsWhatIsSent() {
        assertThat(a.isCarrierUp()).isTrue();
        cable.cut();
        a.awaitCarrier(false);
        b.awaitCarrier(false);
        assertThat(a.send(FrameBuilder.ethernet(B, A).testPattern(60, 1))).isFalse();
        assertThat(a.sendsDropped()).isEqualTo(1);
        cable.reconnect();
        a.awaitCarrier(true);
        assertThat(a.carrierChanges()).isEqualTo(3); // up at attach, down, up
    }
}
