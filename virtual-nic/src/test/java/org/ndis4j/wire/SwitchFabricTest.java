package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.wire.TestFrames.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
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

    private static final int QUEUE = 64 * 1024;

    private final AtomicLong clock = new AtomicLong();
    private SwitchFabric fabric = fabric(SwitchOptions.DEFAULTS);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    private SwitchFabric fabric(SwitchOptions options) {
        return new SwitchFabric(
                options.withAgeing(Duration.ofNanos(1000)).withQueueBytes(QUEUE).withClock(clock::get), null, () -> {});
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** A port whose peer reads nothing while {@link #stuck} is set: writes stay queued. */
    static final class StuckChannel extends EmbeddedChannel {
        boolean stuck = true;

        @Override
        protected void doWrite(ChannelOutboundBuffer in) throws Exception {
            if (!stuck) {
                super.doWrite(in);
            }
        }
    }

    private EmbeddedChannel plug() {
        return plug(new EmbeddedChannel());
    }

    private <C extends EmbeddedChannel> C plug(C ch) {
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(QUEUE / 8, QUEUE / 4));
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
        ByteBuffer w = ByteBuffer.wrap(all.toByteArray());
        while (w.hasRemaining()) {
            byte[] f = new byte[w.getInt()];
            w.get(f);
            frames.add(f);
        }
        return frames;
    }

    private TrafficStatistics traffic(int number) {
        return fabric.port(number).counters.snapshot();
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
        assertThat(traffic(2).txFrames()).isEqualTo(50);
        assertThat(traffic(1).rxFrames()).isEqualTo(50);
    }

    @Test
    void aBurstOfFloodedFramesBecomesOneWritePerPort() {
        EmbeddedChannel p1 = plug();
        EmbeddedChannel p2 = plug();
        EmbeddedChannel p3 = plug();
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            burst.writeBytes(wire(ethernet(BROADCAST, mac(0xa), 60, i)));
        }
        p1.writeInbound(buf(burst.toByteArray()));
        for (EmbeddedChannel out : List.of(p2, p3)) {
            assertThat(out.outboundMessages()).as("writes").hasSize(1);
            assertThat(sent(out)).hasSize(20);
        }
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
        assertThat(traffic(1).drops(DropReason.FILTERED)).isEqualTo(1);
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
        assertThat(fabric.port(1).channel).isSameAs(back);
        assertThat(p2.isOpen()).isTrue();
    }

    @Test
    void badInputClosesOnlyThatPortAndItsCountersOutliveTheSlot() {
        EmbeddedChannel p1 = plug();
        EmbeddedChannel p2 = plug();
        EmbeddedChannel p3 = plug();
        p1.writeInbound(buf(lengthPrefix(0xffff_0000L)));
        assertThat(p1.isOpen()).isFalse();
        assertThat(fabric.port(1)).as("the slot of a port that left").isNull();
        assertThat(fabric.departed.snapshot().errors(FrameError.TOO_LONG)).isEqualTo(1);
        byte[] f = ethernet(BROADCAST, mac(0xb), 60, 0);
        p2.writeInbound(buf(wire(f)));
        assertThat(sent(p3)).containsExactly(f);
    }

    @Test
    void aStuckPortTailDropsAndNeverPausesTheSenderOrItsUnicast() {
        StuckChannel stuck = plug(new StuckChannel());
        EmbeddedChannel blaster = plug();
        EmbeddedChannel receiver = plug();
        receiver.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xc), 60, 0))));
        int broadcasts = 0;
        List<byte[]> unicast = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            blaster.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xb), 1514, i))));
            broadcasts++;
            byte[] u = ethernet(mac(0xc), mac(0xb), 100, i);
            unicast.add(u);
            blaster.writeInbound(buf(wire(u)));
            assertThat(blaster.config().isAutoRead())
                    .as("the blaster is never paused")
                    .isTrue();
        }
        List<byte[]> got = sent(receiver);
        assertThat(got.stream().filter(f -> f.length == 100)).containsExactlyElementsOf(unicast);
        assertThat(got.stream().filter(f -> f.length == 1514)).hasSize(broadcasts);

        SwitchPortStatistics s = fabric.port(1).statistics();
        assertThat(s.traffic().drops(DropReason.BACKPRESSURE)).isPositive();
        assertThat(s.queuePeakBytes()).isPositive().isLessThanOrEqualTo(QUEUE);
        assertThat(s.queuedBytes()).isLessThanOrEqualTo(QUEUE);
        // Offered to the stuck port: the receiver's hello and every broadcast.
        assertThat(s.traffic().txFrames() + s.traffic().totalDrops() + s.queuedFrames())
                .isEqualTo(1 + broadcasts);
        assertThat(fabric.port(2).statistics().inputPauses()).isZero();

        stuck.stuck = false;
        stuck.flush();
        assertThat(sent(stuck)).hasSize((int) (1 + broadcasts - s.traffic().totalDrops()));
        SwitchPortStatistics drained = fabric.port(1).statistics();
        assertThat(drained.queuedFrames()).isZero();
        assertThat(drained.traffic().txFrames() + drained.traffic().totalDrops())
                .isEqualTo(1 + broadcasts);
    }

    @Test
    void aBroadcastStormFillsOnlyHalfAQueueAndUnicastGetsTheRest() {
        StuckChannel slow = plug(new StuckChannel());
        EmbeddedChannel storm = plug();
        EmbeddedChannel talker = plug();
        slow.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xa), 60, 0))));
        for (int i = 0; i < 100; i++) {
            storm.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xb), 1514, i))));
        }
        SwitchPortStatistics afterStorm = fabric.port(1).statistics();
        assertThat(afterStorm.queuedBytes()).isLessThanOrEqualTo(QUEUE / 2);
        assertThat(afterStorm.traffic().drops(DropReason.BACKPRESSURE)).isPositive();
        int unicast = 0;
        while (fabric.port(1).statistics().traffic().drops(DropReason.BACKPRESSURE)
                == afterStorm.traffic().drops(DropReason.BACKPRESSURE)) {
            talker.writeInbound(buf(wire(ethernet(mac(0xa), mac(0xc), 1514, unicast++))));
        }
        assertThat(unicast - 1)
                .as("unicast frames queued behind the storm")
                .isGreaterThanOrEqualTo((QUEUE / 2) / (1518 + OutputQueue.WRITE_OVERHEAD) - 1);
        assertThat(fabric.port(1).statistics().queuePeakBytes()).isLessThanOrEqualTo(QUEUE);
    }

    @Test
    void framesStillQueuedWhenAPortCloses() {
        StuckChannel stuck = plug(new StuckChannel());
        EmbeddedChannel sender = plug();
        for (int i = 0; i < 5; i++) {
            sender.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xb), 200, i))));
        }
        assertThat(fabric.port(1).statistics().queuedFrames()).isEqualTo(5);
        fabric.setAdminUp(1, false);
        assertThat(traffic(1).drops(DropReason.ADMIN_DOWN)).isEqualTo(5);
        assertThat(fabric.port(1).statistics().queuedFrames()).isZero();

        fabric.setAdminUp(1, true);
        StuckChannel again = plug(new StuckChannel());
        sender.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xb), 200, 9))));
        again.close();
        assertThat(fabric.departed.snapshot().drops(DropReason.CARRIER_DOWN)).isEqualTo(1);
        assertThat(stuck.isOpen()).isFalse();
    }

    /** A port whose socket takes {@link #budget} bytes of what is queued, then nothing more. */
    static final class PartlyWritingChannel extends EmbeddedChannel {
        long budget;

        @Override
        protected void doWrite(ChannelOutboundBuffer in) {
            ByteBuf first = (ByteBuf) in.current();
            if (first != null && budget > 0) {
                long taken = Math.min(budget, first.readableBytes());
                budget -= taken;
                in.removeBytes(taken); // moves the run's reader index, as a short write(2) does
            }
        }
    }

    @Test
    void aRunTheConnectionDropsPartWayCountsTheWholeFramesTheSocketTookAsTransmitted() {
        PartlyWritingChannel partly = plug(new PartlyWritingChannel());
        EmbeddedChannel sender = plug();
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            burst.writeBytes(wire(ethernet(BROADCAST, mac(0xb), 200, i)));
        }
        // One and a half frames reach the peer: the first whole frame is transmitted, the second is not.
        partly.budget = FrameSplitter.PREFIX_LENGTH + 200 + (FrameSplitter.PREFIX_LENGTH + 200) / 2;
        sender.writeInbound(buf(burst.toByteArray()));
        assertThat(fabric.port(1).statistics().queuedFrames()).isEqualTo(4);

        partly.close();

        TrafficStatistics gone = fabric.departed.snapshot();
        assertThat(gone.txFrames()).as("whole frames before the reader index").isEqualTo(1);
        assertThat(gone.txBytes()).isEqualTo(200);
        assertThat(gone.drops(DropReason.CARRIER_DOWN))
                .as("the rest of the run")
                .isEqualTo(3);
        assertThat(gone.txFrames() + gone.totalDrops())
                .as("every frame offered, once")
                .isEqualTo(4);
    }

    @Test
    void stuckPortsTogetherNeverHoldMoreThanTheSharedBuffer() {
        fabric = fabric(SwitchOptions.DEFAULTS.withBufferBytes(QUEUE / 2 + QUEUE / 4));
        StuckChannel stuck1 = plug(new StuckChannel());
        StuckChannel stuck2 = plug(new StuckChannel());
        EmbeddedChannel sender = plug();
        for (int i = 0; i < 100; i++) {
            sender.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xb), 1514, i))));
        }
        assertThat(fabric.buffer.used).isLessThanOrEqualTo(QUEUE / 2 + QUEUE / 4);
        assertThat(fabric.port(1).statistics().queuedBytes()
                        + fabric.port(2).statistics().queuedBytes())
                .isEqualTo(fabric.buffer.used);
        assertThat(traffic(2).drops(DropReason.BUFFER_FULL))
                .as("the second stuck port found the shared buffer used up")
                .isPositive();
        stuck1.stuck = false;
        stuck2.stuck = false;
        stuck1.flush();
        stuck2.flush();
        assertThat(fabric.buffer.used).isZero();
    }

    @Test
    void flowControlPausesTheSenderInsteadOfDroppingAndResumesWhenDrained() {
        fabric = fabric(SwitchOptions.DEFAULTS.withFlowControl(true));
        StuckChannel slow = plug(new StuckChannel());
        EmbeddedChannel sender = plug();
        int sent = 0;
        while (sender.config().isAutoRead()) {
            sender.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xb), 1514, sent++))));
            assertThat(sent).as("frames before the sender is paused").isLessThan(100);
        }
        assertThat(fabric.port(2).statistics().inputPauses()).isEqualTo(1);
        assertThat(traffic(1).totalDrops()).isZero();
        slow.stuck = false;
        slow.flush();
        assertThat(sender.config().isAutoRead())
                .as("resumed once the slow port drained")
                .isTrue();
        assertThat(sent(slow)).hasSize(sent);
    }

    @Test
    void beyondTheMaximumNumberOfPortsAConnectionIsClosedAndCounted() {
        fabric = fabric(SwitchOptions.DEFAULTS.withMaxPorts(2));
        EmbeddedChannel p1 = plug();
        plug();
        EmbeddedChannel third = plug();
        assertThat(third.isOpen()).isFalse();
        assertThat(fabric.refused.sum()).isEqualTo(1);
        p1.close();
        assertThat(plug().isOpen()).as("a port left: room again").isTrue();
    }

    @Test
    void slotsOfPortsThatLeftAreRemovedAndTheirNumbersReused() {
        List<EmbeddedChannel> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(plug());
        }
        many.get(0).writeInbound(buf(wire(ethernet(BROADCAST, mac(0xa), 60, 0))));
        for (int i = 49; i >= 1; i--) {
            many.get(i).close();
        }
        assertThat(fabric.ports()).hasSize(1);
        assertThat(fabric.departed.snapshot().txFrames()).isEqualTo(49);
        many.get(0).close();
        assertThat(fabric.ports()).isEmpty();
        plug();
        assertThat(fabric.port(1)).isNotNull();
        assertThat(traffic(1).rxFrames()).as("a new port starts from zero").isZero();
    }

    @Test
    void aFrameThatStopsHalfWayClosesItsPortAfterThePartialFrameTimeout() {
        fabric = fabric(SwitchOptions.DEFAULTS.withPartialFrameTimeout(Duration.ofNanos(500)));
        EmbeddedChannel slow = plug();
        EmbeddedChannel other = plug();
        byte[] half = java.util.Arrays.copyOf(wire(ethernet(BROADCAST, mac(0xa), 1000, 0)), 300);
        clock.set(100);
        slow.writeInbound(buf(half));
        clock.set(600);
        fabric.sweep();
        assertThat(slow.isOpen()).isTrue();
        clock.set(601);
        fabric.sweep();
        assertThat(slow.isOpen()).isFalse();
        assertThat(fabric.departed.snapshot().errors(FrameError.STALLED)).isEqualTo(1);
        assertThat(other.isOpen()).isTrue();
    }

    @Test
    void anIdlePortIsClosedAfterTheIdleTimeoutWhenOneIsSet() {
        fabric = fabric(SwitchOptions.DEFAULTS.withIdleTimeout(Duration.ofNanos(500)));
        EmbeddedChannel idle = plug();
        EmbeddedChannel talking = plug();
        clock.set(400);
        talking.writeInbound(buf(wire(ethernet(BROADCAST, mac(0xb), 60, 0))));
        clock.set(501);
        fabric.sweep();
        assertThat(idle.isOpen()).isFalse();
        assertThat(talking.isOpen()).isTrue();
        assertThat(fabric.idleClosed.sum()).isEqualTo(1);
    }

    @Test
    void aPartialFrameHoldsWhatArrivedNotWhatItsLengthAnnounces() {
        EmbeddedChannel p = plug();
        UnpooledByteBufAllocator counting = new UnpooledByteBufAllocator(false);
        p.config().setAllocator(counting);
        byte[] start = java.util.Arrays.copyOf(wire(ethernet(BROADCAST, mac(0xa), 9000, 0)), 20);
        p.writeInbound(buf(start));
        assertThat(counting.metric().usedHeapMemory() + counting.metric().usedDirectMemory())
                .as("bytes held for a 9000-byte frame of which 20 bytes arrived")
                .isLessThan(1024);
        p.close();
        assertThat(counting.metric().usedHeapMemory() + counting.metric().usedDirectMemory())
                .isZero();
    }

    @Test
    void aMirrorSessionGetsEveryForwardedFrameAndASlowOneDropsWithoutSlowingTheSwitch() {
        EmbeddedChannel p1 = plug();
        EmbeddedChannel p2 = plug();
        EmbeddedChannel mirror = new EmbeddedChannel();
        channels.add(mirror);
        fabric.attachMirror(mirror);
        StuckChannel slowMirror = new StuckChannel();
        channels.add(slowMirror);
        fabric.attachMirror(slowMirror);
        List<byte[]> forwarded = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] f = ethernet(i % 2 == 0 ? BROADCAST : mac(0xb), mac(0xa), 1514, i);
            forwarded.add(f);
            p1.writeInbound(buf(wire(f)));
            byte[] g = ethernet(mac(0xa), mac(0xb), 64, i);
            forwarded.add(g);
            p2.writeInbound(buf(wire(g)));
            assertThat(p1.config().isAutoRead()).isTrue();
        }
        assertThat(sent(mirror)).containsExactlyElementsOf(forwarded);
        MirrorStatistics slow = fabric.mirrors()[1].statistics();
        assertThat(slow.traffic().drops(DropReason.BACKPRESSURE)).isPositive();
        assertThat(slow.queuePeakBytes()).isLessThanOrEqualTo(QUEUE);
        assertThat(sent(p2)).hasSize(100);
    }
}
