package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.wire.TestFrames.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.LeakPresenceDetector;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coverage-guided fuzzing of the switch port handler and fabric: random sequences of connects
 * (some peers never read), frames (whole, chunked or in bursts), garbage, closes, admin down/up,
 * peers that start reading again, and time passing (partial-frame and idle timeouts), against an
 * embedded switch and {@link SwitchModel}. After every step:
 *
 * <ul>
 *   <li>no exception escaped any channel;</li>
 *   <li>two witness ports that only talk to each other exchange a numbered frame each way: the other
 *       ports never disturb them;</li>
 *   <li>counters balance, per port: received and filtered as the model says; offered (the model) =
 *       transmitted + dropped + still queued (the switch); transmitted = what the peer got;
 *       ports that left, mirror session, refusals and idle closes likewise;</li>
 *   <li>a port is open exactly when the model says it is, and nothing leaks.</li>
 * </ul>
 *
 * Regression inputs live in {@code src/test/resources/org/ndis4j/wire/SwitchFuzzTestInputs/}.
 */
class SwitchFuzzTest {

    private static final int MAX_FRAME = 300;
    private static final int QUEUE = 2048;
    private static final int MAX_PORTS = 8;
    private static final long PARTIAL_NANOS = 1000;
    private static final long IDLE_NANOS = 5000;
    private static final long W1 = mac(0xa1);
    private static final long W2 = mac(0xa2);
    /** The stations behind the fuzzed ports (garbage and cut frames may still claim any address). */
    private static final long[] SOURCES = {mac(1), mac(2), mac(3), mac(4), 0x0100_5e00_0001L};

    private static final long[] DESTINATIONS = {
        mac(1), mac(2), mac(3), mac(4), mac(0x77), W1, W2, BROADCAST, 0x0100_5e00_0001L
    };

    @FuzzTest(maxDuration = "60s")
    void portsSurviveAnySequence(FuzzedDataProvider data) {
        Run run = new Run(data.consumeBoolean(), data.consumeBoolean());
        try {
            int steps = 0;
            while (data.remainingBytes() > 0 && steps++ < 60) {
                run.step(data);
                run.check();
            }
        } finally {
            run.closeAll();
        }
        run.check();
        LeakPresenceDetector.check();
    }

    /** One fuzz input played against a fresh switch and a fresh model. */
    private static final class Run {
        private final AtomicLong clock = new AtomicLong();
        private final SwitchFabric fabric;
        private final SwitchModel model = new SwitchModel(MAX_FRAME, MAX_PORTS);
        private final boolean idleTimeout;
        /** Every peer ever plugged in, with its slot in the model (null when refused). */
        private final Map<EmbeddedChannel, SwitchModel.Slot> peers = new LinkedHashMap<>();

        private final Map<EmbeddedChannel, Long> observed = new HashMap<>();
        private final EmbeddedChannel w1;
        private final EmbeddedChannel w2;
        private final EmbeddedChannel mirror = new EmbeddedChannel();
        private int witnessSeq;

        Run(boolean flowControl, boolean idleTimeout) {
            this.idleTimeout = idleTimeout;
            fabric = new SwitchFabric(
                    SwitchOptions.DEFAULTS
                            .withMaxFrameLength(MAX_FRAME)
                            .withMacTableCapacity(64) // a few stations; a small table is quick to make
                            .withQueueBytes(QUEUE)
                            .withBufferBytes(1 << 24)
                            .withMaxPorts(MAX_PORTS)
                            .withFlowControl(flowControl)
                            .withPartialFrameTimeout(Duration.ofNanos(PARTIAL_NANOS))
                            .withIdleTimeout(idleTimeout ? Duration.ofNanos(IDLE_NANOS) : Duration.ZERO)
                            .withClock(clock::get),
                    null,
                    () -> {});
            fabric.attachMirror(mirror);
            w1 = connect(false);
            w2 = connect(false);
            send(w1, wire(ethernet(BROADCAST, W1, 60, 0)));
            send(w2, wire(ethernet(BROADCAST, W2, 60, 0)));
            settle();
        }

        void step(FuzzedDataProvider data) {
            switch (data.consumeInt(0, 7)) {
                case 0 -> connect(data.consumeBoolean());
                case 1 -> {
                    EmbeddedChannel p = pick(data);
                    if (p != null) {
                        byte[] wire = wire(frame(data));
                        int cut = data.consumeInt(0, wire.length - 1);
                        send(p, Arrays.copyOfRange(wire, 0, cut));
                        send(p, Arrays.copyOfRange(wire, cut, wire.length));
                    }
                }
                case 2 -> {
                    EmbeddedChannel p = pick(data);
                    if (p != null) {
                        send(p, data.consumeBytes(data.consumeInt(1, 40)));
                    }
                }
                case 3 -> {
                    EmbeddedChannel p = pick(data);
                    if (p != null) {
                        SwitchModel.Slot s = peers.get(p);
                        p.close();
                        model.unplug(s, true);
                    }
                }
                case 4 -> {
                    int number = data.consumeInt(3, MAX_PORTS + 2);
                    boolean up = data.consumeBoolean();
                    SwitchModel.Slot closing = model.setAdminUp(number, up);
                    fabric.setAdminUp(number, up);
                    if (closing != null) {
                        model.unplug(closing, true);
                    }
                }
                case 5 -> {
                    EmbeddedChannel p = pick(data);
                    if (p instanceof SwitchFabricTest.StuckChannel stuck) {
                        stuck.stuck = false;
                        stuck.flush();
                    }
                }
                case 6 -> {
                    clock.addAndGet(data.consumeInt(0, 2000));
                    long idle = idleTimeout ? IDLE_NANOS : 0;
                    List<SwitchModel.Slot> closing = model.sweep(clock.get(), PARTIAL_NANOS, idle);
                    fabric.sweep();
                    closing.forEach(s -> model.unplug(s, false));
                }
                default -> {
                    EmbeddedChannel p = pick(data);
                    if (p != null) {
                        ByteArrayOutputStream burst = new ByteArrayOutputStream();
                        for (int i = data.consumeInt(1, 12); i > 0; i--) {
                            burst.writeBytes(wire(frame(data)));
                        }
                        send(p, burst.toByteArray());
                    }
                }
            }
            settle();
            witnesses();
        }

        /** A frame from a fuzz station (never a witness's source address). */
        private byte[] frame(FuzzedDataProvider data) {
            long destination = DESTINATIONS[data.consumeInt(0, DESTINATIONS.length - 1)];
            long source = SOURCES[data.consumeInt(0, SOURCES.length - 1)];
            return ethernet(destination, source, data.consumeInt(EthernetFrames.HEADER_LENGTH, MAX_FRAME), 7);
        }

        private EmbeddedChannel connect(boolean stuck) {
            EmbeddedChannel ch = stuck ? new SwitchFabricTest.StuckChannel() : new EmbeddedChannel();
            ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(QUEUE / 8, QUEUE / 4));
            SwitchModel.Slot slot = model.plug(ch, clock.get());
            SwitchPort port = fabric.plug(ch);
            assertThat(port == null)
                    .as("refused exactly when the model refuses")
                    .isEqualTo(slot == null);
            if (port != null) {
                assertThat(port.number).isEqualTo(slot.number);
                ch.pipeline().addLast(new SwitchPortHandler(fabric, port));
            }
            peers.put(ch, slot);
            return ch;
        }

        /** A connected peer other than the witnesses, or null. */
        private EmbeddedChannel pick(FuzzedDataProvider data) {
            List<EmbeddedChannel> open = peers.keySet().stream()
                    .filter(ch -> ch != w1 && ch != w2 && ch.isOpen())
                    .toList();
            return open.isEmpty() ? null : open.get(data.consumeInt(0, open.size() - 1));
        }

        /** Bytes from a peer: one read burst; the switch closes the port when the model says the stream broke. */
        private void send(EmbeddedChannel ch, byte[] bytes) {
            if (bytes.length == 0 || !ch.isOpen()) {
                return;
            }
            SwitchModel.Slot slot = peers.get(ch);
            boolean broken = model.bytes(slot, bytes, clock.get());
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
            ch.runPendingTasks();
            if (broken) {
                model.unplug(slot, false);
            }
        }

        /** Runs pending close tasks and reads what every peer that reads has been sent. */
        private void settle() {
            for (EmbeddedChannel ch : peers.keySet()) {
                ch.runPendingTasks();
            }
            for (EmbeddedChannel ch : peers.keySet()) {
                if (!(ch instanceof SwitchFabricTest.StuckChannel s && s.stuck)) {
                    observed.merge(ch, (long) frames(ch).size(), Long::sum);
                }
            }
            observed.merge(mirror, (long) frames(mirror).size(), Long::sum);
        }

        /**
         * The witnesses exchange one numbered frame each way, and each arrives. W1 announces itself
         * first: the other ports' bytes may assemble into frames that claim any source address,
         * a witness's too (a station that "moved"), and a switch rightly follows the latest.
         */
        private void witnesses() {
            witnessSeq++;
            byte[] toW1 = ethernet(W1, W2, 60, witnessSeq);
            byte[] toW2 = ethernet(W2, W1, 60, witnessSeq);
            send(w1, wire(ethernet(BROADCAST, W1, 60, witnessSeq)));
            settle();
            send(w2, wire(toW1));
            List<byte[]> atW1 = frames(w1);
            send(w1, wire(toW2));
            List<byte[]> atW2 = frames(w2);
            observed.merge(w2, (long) atW2.size(), Long::sum);
            observed.merge(w1, (long) atW1.size(), Long::sum);
            observed.merge(mirror, (long) frames(mirror).size(), Long::sum);
            assertThat(atW1).as("W1 got W2's frame %d", witnessSeq).contains(toW1);
            assertThat(atW2).as("W2 got W1's frame %d", witnessSeq).contains(toW2);
        }

        /** Everything a peer has been sent since last asked, split into frames. */
        private static List<byte[]> frames(EmbeddedChannel ch) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (Object m; (m = ch.readOutbound()) != null; ) {
                all.writeBytes(bytesOf((ByteBuf) m));
            }
            List<byte[]> frames = new ArrayList<>();
            ByteBuffer b = ByteBuffer.wrap(all.toByteArray());
            while (b.hasRemaining()) {
                byte[] f = new byte[b.getInt()];
                b.get(f);
                frames.add(f);
            }
            return frames;
        }

        void check() {
            for (EmbeddedChannel ch : peers.keySet()) {
                ch.checkException(); // nothing escaped the pipeline
            }
            mirror.checkException();
            long departedObserved = 0;
            for (Map.Entry<EmbeddedChannel, SwitchModel.Slot> e : peers.entrySet()) {
                SwitchModel.Slot s = e.getValue();
                if (s == null) {
                    assertThat(e.getKey().isOpen())
                            .as("a refused peer is closed")
                            .isFalse();
                    continue;
                }
                boolean inModel = model.slot(s.number) == s;
                assertThat(e.getKey().isOpen())
                        .as("port %d open exactly when the model says", s.number)
                        .isEqualTo(s.peer != null);
                if (inModel) {
                    checkSlot(s, e.getKey());
                } else {
                    departedObserved += observed.getOrDefault(e.getKey(), 0L);
                }
            }
            for (SwitchModel.Slot s : model.allSlots()) {
                assertThat(fabric.port(s.number)).as("slot %d", s.number).isNotNull();
            }
            TrafficStatistics departed = fabric.departed.snapshot();
            assertThat(departed.rxFrames()).as("rx of ports that left").isEqualTo(model.departedRx);
            assertThat(departed.drops(DropReason.FILTERED)).isEqualTo(model.departedFiltered);
            assertThat(departed.txFrames() + outputDrops(departed))
                    .as("offered to ports that left = transmitted + dropped")
                    .isEqualTo(model.departedOffered);
            assertThat(departed.txFrames())
                    .as("transmitted to ports that left = what they got")
                    .isEqualTo(departedObserved);
            for (FrameError error : FrameError.values()) {
                assertThat(departed.errors(error))
                        .as("%s of ports that left", error)
                        .isEqualTo(model.departedErrors.getOrDefault(error, 0L));
            }
            MirrorStatistics m = fabric.mirrors()[0].statistics();
            assertThat(m.traffic().txFrames() + outputDrops(m.traffic()) + m.queuedFrames())
                    .as("offered to the mirror")
                    .isEqualTo(model.mirrorOffered);
            assertThat(m.traffic().txFrames()).isEqualTo(observed.getOrDefault(mirror, 0L));
            assertThat(fabric.refused.sum()).isEqualTo(model.refused);
            assertThat(fabric.idleClosed.sum()).isEqualTo(model.idleClosed);
        }

        private void checkSlot(SwitchModel.Slot s, EmbeddedChannel peer) {
            SwitchPort p = fabric.port(s.number);
            assertThat(p).as("slot %d", s.number).isNotNull();
            TrafficStatistics t = p.counters.snapshot();
            assertThat(t.rxFrames()).as("rx of port %d", s.number).isEqualTo(s.rx);
            assertThat(t.drops(DropReason.FILTERED))
                    .as("filtered at port %d", s.number)
                    .isEqualTo(s.filtered);
            assertThat(t.txFrames() + outputDrops(t) + p.output.queuedFrames())
                    .as("offered to port %d = transmitted + dropped + queued", s.number)
                    .isEqualTo(s.offered);
            assertThat(t.txFrames())
                    .as("transmitted to port %d = what its peer got", s.number)
                    .isEqualTo(observed.getOrDefault(peer, 0L));
            for (FrameError error : FrameError.values()) {
                assertThat(t.errors(error))
                        .as("%s at port %d", error, s.number)
                        .isEqualTo(s.errors.getOrDefault(error, 0L));
            }
        }

        private static long outputDrops(TrafficStatistics t) {
            return t.drops(DropReason.BACKPRESSURE)
                    + t.drops(DropReason.BUFFER_FULL)
                    + t.drops(DropReason.CARRIER_DOWN)
                    + t.drops(DropReason.ADMIN_DOWN);
        }

        /** Every peer closes (stuck ones lose what they had queued); the slots left are admin-down ones. */
        void closeAll() {
            for (Map.Entry<EmbeddedChannel, SwitchModel.Slot> e : peers.entrySet()) {
                if (e.getKey().isOpen()) {
                    e.getKey().close();
                    model.unplug(e.getValue(), true);
                }
            }
            settle();
            for (EmbeddedChannel ch : peers.keySet()) {
                ch.finishAndReleaseAll();
            }
            mirror.finishAndReleaseAll();
        }
    }
}
