package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.wire.TestFrames.*;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class FrameDecoderTest {

    private final TrafficCounters counters = new TrafficCounters();
    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(100, counters));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private List<byte[]> drain() {
        List<byte[]> out = new ArrayList<>();
        for (ByteBuf b; (b = channel.readInbound()) != null; ) {
            out.add(bytesOf(b));
        }
        return out;
    }

    @Test
    void decodesWholeFramesOfOneReadWithoutThePrefix() {
        byte[] a = ethernet(mac(2), mac(1), 60, 1);
        byte[] b = ethernet(BROADCAST, mac(1), 14, 2);
        byte[] both = new byte[4 + a.length + 4 + b.length];
        System.arraycopy(wire(a), 0, both, 0, 4 + a.length);
        System.arraycopy(wire(b), 0, both, 4 + a.length, 4 + b.length);

        channel.writeInbound(buf(both));

        assertThat(drain()).containsExactly(a, b);
        assertThat(counters.snapshot().rxFrames()).isEqualTo(2);
        assertThat(counters.snapshot().rxBytes()).isEqualTo(74);
    }

    @Test
    void reassemblesAFrameDeliveredOneByteAtATime() {
        byte[] a = ethernet(mac(2), mac(1), 100, 7);
        for (byte x : wire(a)) {
            channel.writeInbound(buf(new byte[] {x}));
        }
        assertThat(drain()).containsExactly(a);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void zeroLengthClosesAndCounts() {
        assertBrokenBy(lengthPrefix(0), FrameError.ZERO_LENGTH);
    }

    @Test
    void lengthShorterThanAnEthernetHeaderClosesAndCounts() {
        byte[] bytes = new byte[4 + 13];
        System.arraycopy(lengthPrefix(13), 0, bytes, 0, 4);
        assertBrokenBy(bytes, FrameError.TOO_SHORT);
    }

    @Test
    void lengthAboveTheMaximumClosesAndCounts() {
        assertBrokenBy(lengthPrefix(101), FrameError.TOO_LONG);
    }

    @Test
    void aStreamCutInsideAFrameIsCountedAsTruncated() {
        byte[] a = wire(ethernet(mac(2), mac(1), 60, 1));
        channel.writeInbound(buf(java.util.Arrays.copyOf(a, 30)));
        channel.close();
        assertThat(drain()).isEmpty();
        assertThat(counters.snapshot().errors(FrameError.TRUNCATED)).isEqualTo(1);
    }

    @Test
    void framesBeforeTheBreakAreDeliveredAndNothingAfterIt() {
        byte[] good = wire(ethernet(mac(2), mac(1), 60, 1));
        byte[] bad = lengthPrefix(0xdeadbeefL);
        channel.writeInbound(buf(good), buf(bad), buf(good));
        assertThat(drain()).hasSize(1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.snapshot().errors(FrameError.TOO_LONG)).isEqualTo(1);
    }

    private void assertBrokenBy(byte[] input, FrameError expected) {
        channel.writeInbound(buf(input));
        assertThat(drain()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.snapshot().errors(expected)).isEqualTo(1);
        assertThat(counters.snapshot().totalErrors()).isEqualTo(1);
    }
}
