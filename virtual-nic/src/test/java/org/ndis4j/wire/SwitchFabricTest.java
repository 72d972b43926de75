package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.wire.TestFrames.*;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The forwarding logic with EmbeddedChannels as ports: what goes out where, and when. */
@ExtendWith(LeakCheck.class)
class SwitchFabricTest {

    private final AtomicLong clock = new AtomicLong();
    private final SwitchFabric fabric = new SwitchFabric(
            SwitchOptions.DEFAULTS.withAgeing(Duration.ofNanos(1000)).withClock(clock::get), null, () -> {});
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel plug() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SwitchPort port = fabric.plug(ch);
        if (port != null) {
            ch.pipeline().addLast(new SwitchPortHandler(fabric, port));
        }
        channels.add(ch);
        return ch;
    }

    /** Everything a port put on its wire, split back into frames. */
    private static List<byte[]> sent(EmbeddedChannel ch) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(bytesOf(b));
        }
        List<byte[]> frames = new ArrayList<>();
        java.nio.ByteBuffer w = java.nio.ByteBuffer.wrap(all.toByteArray());
        while (w.hasRemaining()) {
            byte[] f = new byte[w.getInt()];
            w.get(f);
            frames.add(f);
        }
        return frames;
    }

    @Test
    void floodsUnknownUnicastThenForwardsOnlyToTheLearnedPort() {
        EmbeddedChannel p1 = plug();
        EmbeddedChannel p2 = plug();
        EmbeddedChannel p3 = plug();
        byte[] toB = ethernet(mac(0xb), mac(0xa), 60, 1);

        p1.writeInbound(buf(wire(toB)));
        assertThat(sent(p2)).containsExactly(toB);
        assertThat(sent(p3)).containsExactly(toB);
        assertThat(sent(p1)).isEmpty();

        byte[] reply = ethernet(mac(0xa), mac(0xb), 60, 2);
        p2.writeInbound(buf(wire(reply)));
        assertThat(sent(p1)).containsExactly(reply);
        assertThat(sent(p3)).isEmpty();

        p1.writeInbound(buf(wire(toB)));
        assertThat(sent(p2)).containsExactly(toB);
        assertThat(sent(p3)).isEmpty();
    }

    @Test
    void broadcastReachesEveryOtherPort() {
        EmbeddedChannel p1 = plug();
        EmbeddedChannel p2 = plug();
        EmbeddedChannel p3 = plug();
        byte[] bc = ethernet(BROADCAST, mac(0xa), 60, 3);
        p2.writeInbound(buf(wire(bc)));
        assertThat(sent(p1)).containsExactly(bc);
        assertThat(sent(p3)).containsExactly(bc);
        assertThat(sent(p2)).isEmpty();
    }

    @Test
    void aBurstOfUnicastFramesArrivesInOrderAndIsCountedOnce() {
        EmbeddedChannel p1 = plug();
        EmbeddedChannel p2 = plug();
        p2.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xb), 60, 0))));
        sent(p1);
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] f = ethernet(mac(0xb), mac(0xa), 60 + i, i);
            frames.add(f);
            burst.writeBytes(wire(f));
        }
        p1.writeInbound(buf(burst.toByteArray()));
        assertThat(sent(p2)).containsExactlyElementsOf(frames);
        assertThat(fabric.ports()[1].counters.snapshot().txFrames()).isEqualTo(50);
        assertThat(fabric.ports()[0].counters.snapshot().rxFrames()).isEqualTo(50);
    }

    @Test
    void learnedAddressesAgeOutAndAreFloodedAgain() {
        EmbeddedChannel p1 = plug();
        EmbeddedChannel p2 = plug();
        EmbeddedChannel p3 = plug();
        p2.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xb), 60, 0))));
        sent(p1);
        sent(p3);
        byte[] toB = ethernet(mac(0xb), mac(0xa), 60, 1);
        clock.set(1000);
        p1.writeInbound(buf(wire(toB)));
        assertThat(sent(p3)).isEmpty();
        clock.set(1001);
        p3.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xc), 60, 0))));
        sent(p1);
        sent(p2);
        p1.writeInbound(buf(wire(toB)));
        assertThat(sent(p3)).containsExactly(toB);
        assertThat(sent(p2)).containsExactly(toB);
    }

    @Test
    void framesForAStationOnTheArrivingPortAreFiltered() {
        EmbeddedChannel p1 = plug();
        EmbeddedChannel p2 = plug();
        p1.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xa), 60, 0))));
        sent(p2);
        p1.writeInbound(buf(wire(ethernet(mac(0xa), mac(0xc), 60, 0))));
        assertThat(sent(p2)).isEmpty();
        assertThat(fabric.ports()[0].counters.snapshot().drops(DropReason.FILTERED))
                .isEqualTo(1);
    }

    @Test
    void adminDownClosesThePortAndRefusesTheNextPeerUntilUp() {
        EmbeddedChannel p1 = plug();
        EmbeddedChannel p2 = plug();
        fabric.setAdminUp(1, false);
        assertThat(p1.isOpen()).isFalse();
        assertThat(fabric.accepting()).isFalse();
        EmbeddedChannel again = plug();
        assertThat(again.isOpen()).isFalse();
        fabric.setAdminUp(1, true);
        assertThat(fabric.accepting()).isTrue();
        EmbeddedChannel back = plug();
        assertThat(back.isOpen()).isTrue();
        assertThat(fabric.ports()[0].channel).isSameAs(back);
        assertThat(p2.isOpen()).isTrue();
    }

    @Test
    void badInputClosesOnlyThatPort() {
        EmbeddedChannel p1 = plug();
        EmbeddedChannel p2 = plug();
        EmbeddedChannel p3 = plug();
        p1.writeInbound(buf(lengthPrefix(0xffff_0000L)));
        assertThat(p1.isOpen()).isFalse();
        assertThat(fabric.ports()[0].counters.snapshot().errors(FrameError.TOO_LONG))
                .isEqualTo(1);
        byte[] f = ethernet(BROADCAST, mac(0xb), 60, 0);
        p2.writeInbound(buf(wire(f)));
        assertThat(sent(p3)).containsExactly(f);
    }
}
