package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.tools.Peer.BROADCAST;
import static org.ndis4j.tools.Peer.frame;
import static org.ndis4j.tools.Peer.mac;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The switch as a black box (the jar, real loopback sockets, the control endpoint) with a port that
 * never reads: port 1 never reads, port 2 blasts 1514-byte broadcasts, port 3 sends numbered unicast
 * to port 4 the whole time. Every numbered frame arrives; the switch never pauses reading the
 * blaster; the stuck port's queue never exceeds its cap; per port, what the switch sent = what the
 * peer got + the drops it counted.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StuckPortIT {

    /**
     * Per-port queue: floods may fill half of it, so the other half (about 7000 numbered frames)
     * absorbs a reader that the two shared cores leave waiting for a while.
     */
    private static final int QUEUE = 4 << 20;

    private static final int BLAST = 20_000;
    private static final int BATCH = 16;
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Four ports, plugged in one at a time so their numbers are 1..4, each announced by a broadcast. */
    private static final class Rig implements AutoCloseable {
        final SwitchProcess sw;
        final Control control;
        final Peer stuck;
        final Peer blaster;
        final Peer sender;
        final Peer receiver;
        final List<Integer> numbered = Collections.synchronizedList(new ArrayList<>());

        Rig(int queueBytes, String... options) throws Exception {
            List<String> args = new ArrayList<>(List.of(
                    "--listen",
                    "127.0.0.1:0",
                    "--control",
                    "127.0.0.1:0",
                    "--queue-bytes",
                    String.valueOf(queueBytes),
                    "--stats-interval",
                    "0"));
            args.addAll(List.of(options));
            sw = SwitchProcess.start(args.toArray(new String[0]));
            control = sw.control();
            InetSocketAddress at = sw.listen();
            stuck = plug(at, 1);
            blaster = plug(at, 2);
            sender = plug(at, 3).startReading(f -> {});
            receiver = plug(at, 4).startReading(f -> {
                ByteBuffer b = ByteBuffer.wrap(f);
                if (b.getLong(0) >>> 16 == mac(4) && b.getLong(6) >>> 16 == mac(3)) {
                    numbered.add(b.getInt(14));
                }
            });
            for (Peer p : List.of(stuck, blaster, sender, receiver)) {
                p.send(frame(BROADCAST, p.mac, 60, 0));
            }
            Await.until(
                    "ports 3 and 4 hear the others' announcements",
                    WAIT,
                    () -> sender.received() == 3 && receiver.received() == 3);
        }

        private Peer plug(InetSocketAddress at, int number) throws Exception {
            Peer p = new Peer(at, mac(number));
            Await.until("port " + number + " connected", WAIT, () -> {
                JsonNode port = control.port(number);
                return port != null && port.get("connected").asBoolean();
            });
            return p;
        }

        /** The blaster's thread: {@link #BLAST} broadcasts, {@link #BATCH} per write, as fast as it can. */
        Thread blast(AtomicReference<Throwable> failure) {
            Thread t = new Thread(
                    () -> {
                        try {
                            for (int i = 0; i < BLAST; i += BATCH) {
                                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                                for (int k = 0; k < BATCH; k++) {
                                    batch.writeBytes(Peer.wire(frame(BROADCAST, mac(2), 1514, i + k)));
                                }
                                blaster.sendRaw(batch.toByteArray());
                            }
                        } catch (IOException e) {
                            failure.set(e);
                        }
                    },
                    "blaster");
            t.start();
            return t;
        }

        @Override
        public void close() throws IOException {
            for (Peer p : List.of(stuck, blaster, sender, receiver)) {
                p.close();
            }
            sw.close();
        }
    }

    private static long outputDrops(JsonNode port) {
        JsonNode d = port.get("drops");
        return d.get("backpressure").asLong()
                + d.get("buffer_full").asLong()
                + d.get("carrier_down").asLong()
                + d.get("admin_down").asLong();
    }

    /** Waits until port {@code n}'s queue is empty and its peer has read all the switch delivered. */
    private static JsonNode drained(Control control, int n, Peer peer) throws Exception {
        Await.until("port " + n + " drained", WAIT, () -> {
            JsonNode p = control.port(n);
            return p.get("queue").get("frames").asLong() == 0
                    && p.get("tx").get("frames").asLong() == peer.received();
        });
        return control.port(n);
    }

    @Test
    void aPortThatNeverReadsHoldsUpNoOne() throws Exception {
        try (Rig rig = new Rig(QUEUE)) {
            AtomicReference<Throwable> blastFailure = new AtomicReference<>();
            Thread blast = rig.blast(blastFailure);
            int sent = 0;
            while (blast.isAlive() || sent < 200) {
                rig.sender.send(frame(mac(4), mac(3), 200, sent++));
                LockSupport.parkNanos(200_000); // numbered unicast the whole time the blast lasts
            }
            blast.join();
            assertThat(blastFailure.get()).isNull();
            int numberedSent = sent;
            try {
                Await.until("every numbered frame at port 4", WAIT, () -> rig.numbered.size() >= numberedSent);
            } catch (AssertionError e) {
                throw new AssertionError(
                        e.getMessage() + ": " + rig.numbered.size() + " of " + numberedSent + " arrived; ports "
                                + rig.control.get("/ports"),
                        e);
            }
            assertThat(rig.numbered)
                    .as("numbered unicast: all of it, in order")
                    .containsExactlyElementsOf(
                            IntStream.range(0, numberedSent).boxed().toList());

            JsonNode blaster = rig.control.port(2);
            assertThat(blaster.get("inputPauses").asLong())
                    .as("times the switch stopped reading the blaster")
                    .isZero();
            JsonNode stuck = rig.control.port(1);
            assertThat(stuck.get("queue").get("capacityBytes").asLong()).isEqualTo(QUEUE);
            assertThat(stuck.get("queue").get("peakBytes").asLong())
                    .as("the stuck port's queue, at its fullest")
                    .isPositive()
                    .isLessThanOrEqualTo(QUEUE);
            assertThat(stuck.get("drops").get("backpressure").asLong())
                    .as("frames the stuck port's full queue dropped")
                    .isPositive();

            // Per port: sent by the switch = delivered to the peer + counted drops.
            JsonNode p3 = drained(rig.control, 3, rig.sender);
            assertThat(p3.get("tx").get("frames").asLong() + outputDrops(p3)).isEqualTo(3 + BLAST);
            JsonNode p4 = drained(rig.control, 4, rig.receiver);
            assertThat(p4.get("tx").get("frames").asLong() + outputDrops(p4)).isEqualTo(3 + BLAST + numberedSent);
            rig.stuck.startReading(f -> {}); // the stuck peer wakes up: what was queued reaches it
            JsonNode p1 = drained(rig.control, 1, rig.stuck);
            assertThat(p1.get("tx").get("frames").asLong() + outputDrops(p1)).isEqualTo(3 + BLAST);
            JsonNode p2 = rig.control.port(2);
            assertThat(p2.get("tx").get("frames").asLong()
                            + outputDrops(p2)
                            + p2.get("queue").get("frames").asLong())
                    .as("the blaster never reads; the others' announcements wait for it")
                    .isEqualTo(3);
            assertThat(rig.sw.stop()).as("exit status after SIGTERM").isEqualTo(ExitCode.SUCCESS.code());
        }
    }

    @Test
    void withFlowControlTheStuckPortPausesTheBlasterUntilItLeaves() throws Exception {
        // Flow control pauses at a quarter of the queue; a read buffer (256 KiB) must fit between that
        // and the half where storm control drops floods: 4 MiB leaves room, so nothing is dropped.
        try (Rig rig = new Rig(QUEUE, "--flow-control")) {
            AtomicReference<Throwable> blastFailure = new AtomicReference<>();
            Thread blast = rig.blast(blastFailure);
            Await.until(
                    "the blaster paused by the stuck port",
                    WAIT,
                    () -> rig.control.port(2).get("inputPauses").asLong() > 0);
            JsonNode stuck = rig.control.port(1);
            assertThat(stuck.get("drops").get("backpressure").asLong()).isZero();
            assertThat(blast.isAlive())
                    .as("the blast is held up behind the stuck port")
                    .isTrue();
            rig.stuck.close(); // the stuck peer leaves: its queue goes, the blaster is let go
            blast.join(WAIT.toMillis());
            assertThat(blast.isAlive())
                    .as("the blast finished once the stuck port left")
                    .isFalse();
            assertThat(blastFailure.get()).isNull();
        }
    }
}
