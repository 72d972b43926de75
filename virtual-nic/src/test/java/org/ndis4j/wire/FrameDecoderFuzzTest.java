package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.LeakPresenceDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the frame decoder: any byte stream, cut into any chunks, against
 * {@link ReferenceFraming}. The decoder never throws, delivers exactly the well-formed frames before
 * the first break, closes and counts once on a break, and leaks nothing. Regression inputs (seeds
 * and findings) live in {@code src/test/resources/org/ndis4j/wire/FrameDecoderFuzzTestInputs/}.
 */
class FrameDecoderFuzzTest {

    private static final int MAX = 300;

    @FuzzTest(maxDuration = "60s")
    void decoderMatchesTheReferenceParser(FuzzedDataProvider data) {
        int chunks = data.consumeInt(0, 16);
        int[] cuts = new int[chunks];
        for (int i = 0; i < chunks; i++) {
            cuts[i] = data.consumeInt(1, 700);
        }
        byte[] stream = data.consumeRemainingAsBytes();

        TrafficCounters counters = new TrafficCounters();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX, counters));
        ReferenceFraming reference = new ReferenceFraming(MAX);
        List<byte[]> expected = new ArrayList<>();
        List<byte[]> got = new ArrayList<>();
        try {
            int at = 0;
            for (int i = 0; i <= chunks && at < stream.length; i++) {
                int end = i < chunks ? Math.min(stream.length, at + cuts[i]) : stream.length;
                byte[] chunk = Arrays.copyOfRange(stream, at, end);
                expected.addAll(reference.feed(chunk));
                if (channel.isOpen()) {
                    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(chunk.length);
                    b.writeBytes(chunk);
                    channel.writeInbound(b);
                }
                at = end;
                drain(channel, got);
                assertThat(channel.isOpen())
                        .as("open exactly while the stream is whole")
                        .isEqualTo(reference.error() == null);
            }
            channel.close(); // the stream ends: a frame cut short is TRUNCATED
            reference.finish();
            channel.checkException(); // nothing escaped the pipeline
            drain(channel, got);
        } finally {
            channel.finishAndReleaseAll();
        }
        assertThat(got).containsExactlyElementsOf(expected);
        TrafficStatistics s = counters.snapshot();
        assertThat(s.rxFrames()).isEqualTo(expected.size());
        if (reference.error() == null) {
            assertThat(s.totalErrors()).isZero();
        } else {
            assertThat(s.totalErrors()).isEqualTo(1);
            assertThat(s.errors(reference.error())).isEqualTo(1);
        }
        LeakPresenceDetector.check();
    }

    private static void drain(EmbeddedChannel channel, List<byte[]> got) {
        for (ByteBuf b; (b = channel.readInbound()) != null; ) {
            try {
                assertThat(b.readableBytes()).isBetween(EthernetFrames.HEADER_LENGTH, MAX);
                got.add(ByteBufUtil.getBytes(b));
            } finally {
                b.release();
            }
        }
    }
}
