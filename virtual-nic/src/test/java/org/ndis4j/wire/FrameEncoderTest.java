package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.wire.TestFrames.*;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class FrameEncoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    /** What was written to the socket, one entry per buffer. */
    private List<byte[]> written() {
        List<byte[]> out = new ArrayList<>();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            out.add(bytesOf(b));
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aBurstOfFramesIsOneBufferOfPrefixedFramesAndEachFrameIsReleased() {
        byte[] a = ethernet(mac(2), mac(1), 60, 1);
        byte[] b = ethernet(BROADCAST, mac(1), 14, 2);
        byte[] c = ethernet(mac(3), mac(1), 1514, 3);
        ByteBuf[] frames = {buf(a), buf(b), buf(c)};
        for (ByteBuf f : frames) {
            channel.write(f, channel.voidPromise());
        }
        assertThat(written()).as("nothing before the flush").isEmpty();
        for (ByteBuf f : frames) {
            assertThat(f.refCnt()).as("released once copied").isZero();
        }

        channel.flush();

        assertThat(written()).containsExactly(concat(wire(a), wire(b), wire(c)));
    }

    @Test
    void aBurstLongerThanOneBufferIsWrittenInPiecesInOrder() {
        List<byte[]> frames = new ArrayList<>();
        int total = 0;
        for (int seq = 0; total <= 3 * FrameEncoder.BURST_CAPACITY; seq++) {
            byte[] f = ethernet(mac(2), mac(1), 1514, seq);
            frames.add(wire(f));
            total += 4 + f.length;
            channel.write(buf(f), channel.voidPromise());
        }
        channel.flush();

        List<byte[]> pieces = written();
        assertThat(pieces).hasSizeGreaterThan(3);
        assertThat(concat(pieces.toArray(byte[][]::new))).isEqualTo(concat(frames.toArray(byte[][]::new)));
        for (byte[] piece : pieces) {
            assertThat(piece.length).isLessThanOrEqualTo(FrameEncoder.BURST_CAPACITY);
        }
    }

    @Test
    void aFrameLongerThanABurstIsWrittenWhole() {
        byte[] small = ethernet(mac(2), mac(1), 60, 1);
        byte[] jumbo = ethernet(mac(2), mac(1), FrameEncoder.BURST_CAPACITY + 100, 2);
        channel.write(buf(small), channel.voidPromise());
        channel.write(buf(jumbo), channel.voidPromise());
        channel.flush();

        assertThat(written()).containsExactly(wire(small), wire(jumbo));
    }

    @Test
    void aWriteWithItsOwnPromiseIsWrittenAtOnceAndItsPromiseCompletes() {
        byte[] a = ethernet(mac(2), mac(1), 60, 1);
        byte[] b = ethernet(mac(2), mac(1), 61, 2);
        channel.write(buf(a), channel.voidPromise());
        ChannelFuture f = channel.writeAndFlush(buf(b));

        assertThat(f.isSuccess()).isTrue();
        assertThat(written()).containsExactly(concat(wire(a), wire(b)));
    }

    @Test
    void aBurstNeverFlushedIsReleasedWhenTheChannelCloses() {
        ByteBuf frame = buf(ethernet(mac(2), mac(1), 60, 1));
        channel.write(frame, channel.voidPromise());
        channel.close();

        assertThat(frame.refCnt()).isZero();
        assertThat(written()).isEmpty(); // and LeakCheck finds the burst buffer released
    }

    @Test
    void anythingButABufferPassesThrough() {
        channel.writeAndFlush("not a frame");
        Object out = channel.readOutbound();
        assertThat(out).isEqualTo("not a frame");
    }
}
