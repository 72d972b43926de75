package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.LeakPresenceDetector;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random streams (valid frames mixed with random bytes and bad lengths, cut at random points)
 * against a reference parser: the decoder never throws, emits exactly the well-formed frames
 * before the first break, closes and counts once on a break, and leaks nothing.
 */
class FrameDecoderPropertyTest {

    private static final int MAX = 300;

    @Property(tries = 400)
    void decoderMatchesTheReferenceParser(@ForAll("streams") byte[] stream, @ForAll("cuts") List<Integer> cuts) {
        TrafficCounters counters = new TrafficCounters();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX, counters));
        List<byte[]> got = new ArrayList<>();
        try {
            int at = 0;
            for (int cut : cuts) {
                int end = Math.min(stream.length, at + cut);
                feed(channel, stream, at, end);
                at = end;
            }
            feed(channel, stream, at, stream.length);
            channel.close(); // the stream ends: a half frame is TRUNCATED
            channel.checkException(); // nothing escaped the pipeline
            for (ByteBuf b; (b = channel.readInbound()) != null; ) {
                try {
                    assertThat(b.readableBytes()).isBetween(EthernetFrames.HEADER_LENGTH, MAX);
                    got.add(ByteBufUtil.getBytes(b));
                } finally {
                    b.release();
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        Reference expected = Reference.parse(stream);
        assertThat(got).containsExactlyElementsOf(expected.frames);
        TrafficStatistics s = counters.snapshot();
        if (expected.error == null) {
            assertThat(s.totalErrors()).isZero();
        } else {
            assertThat(s.totalErrors()).isEqualTo(1);
            assertThat(s.errors(expected.error)).isEqualTo(1);
        }
        LeakPresenceDetector.check();
    }

    private static void feed(EmbeddedChannel channel, byte[] stream, int from, int to) {
        if (to > from && channel.isOpen()) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(to - from);
            b.writeBytes(stream, from, to - from);
            channel.writeInbound(b);
        }
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(1, 700).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<byte[]> streams() {
        Arbitrary<byte[]> valid = Arbitraries.integers()
                .between(EthernetFrames.HEADER_LENGTH, MAX)
                .flatMap(len -> Arbitraries.bytes().array(byte[].class).ofSize(len))
                .map(TestFrames::wire);
        Arbitrary<byte[]> badLength = Arbitraries.oneOf(
                        Arbitraries.longs().between(0, EthernetFrames.HEADER_LENGTH - 1),
                        Arbitraries.longs().between(MAX + 1, 0xffff_ffffL))
                .map(TestFrames::lengthPrefix);
        Arbitrary<byte[]> junk =
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, valid),
                net.jqwik.api.Tuple.of(1, badLength),
                net.jqwik.api.Tuple.of(1, junk));
        return Combinators.combine(
                        piece.list().ofMaxSize(12), Arbitraries.integers().between(0, 3))
                .as((pieces, trim) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    pieces.forEach(out::writeBytes);
                    byte[] all = out.toByteArray();
                    // Sometimes cut the tail, so the stream ends inside a frame.
                    return trim == 0 && all.length > 0 ? Arrays.copyOf(all, all.length - 1) : all;
                });
    }

    /** The framing, parsed the obvious way. */
    private record Reference(List<byte[]> frames, FrameError error) {
        static Reference parse(byte[] s) {
            List<byte[]> frames = new ArrayList<>();
            ByteBuffer b = ByteBuffer.wrap(s);
            while (b.remaining() > 0) {
                if (b.remaining() < 4) {
                    return new Reference(frames, FrameError.TRUNCATED);
                }
                long len = Integer.toUnsignedLong(b.getInt());
                if (len == 0) {
                    return new Reference(frames, FrameError.ZERO_LENGTH);
                }
                if (len < EthernetFrames.HEADER_LENGTH) {
                    return new Reference(frames, FrameError.TOO_SHORT);
                }
                if (len > MAX) {
                    return new Reference(frames, FrameError.TOO_LONG);
                }
                if (b.remaining() < len) {
                    return new Reference(frames, FrameError.TRUNCATED);
                }
                byte[] f = new byte[(int) len];
                b.get(f);
                frames.add(f);
            }
            return new Reference(frames, null);
        }
    }
}
