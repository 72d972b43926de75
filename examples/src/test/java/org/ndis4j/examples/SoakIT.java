package org.ndis4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.examples.SwitchedHosts.B_IP;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.examples.ipstack.IpStatistics;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.SwitchPortStatistics;

/**
 * The soak: host A sends UDP datagrams of random sizes to host B through the switch over loopback
 * TCP, each carrying its sequence number and a CRC-32 of its payload; B checks every one. At the end
 * every datagram is accounted for — sent = received + counted drops — none is corrupt or duplicated,
 * and (the kernels closing under the test kit) the verifier has nothing to report and nothing leaked.
 * B's drops are read as NDIS reads them, from vmini's OID_GEN_STATISTICS, whose counters survive an
 * adapter reset (the device's own are cleared by it, and a reset drops what is in the rings): should
 * NDIS reset either adapter, every datagram is still received or counted, and the report says when.
 *
 * <pre>
 *   datagram payload: │ sequence (8) │ CRC-32 of what follows (4) │ random bytes (4..1460) │
 *   in flight: at most 256 datagrams not yet at B, and 256 of A's sends not yet completed
 * </pre>
 *
 * How long: about a minute in {@code ./mvnw verify} ({@value #DEFAULT_SECONDS} s of sending), or a
 * fixed number of datagrams with {@code -Dndis4j.soak.datagrams=1000000} (and no time bound). The seed
 * is printed; {@code -Dndis4j.soak.seed=N} repeats a run's sizes and bytes.
 */
@ExtendWith(KernelExtension.class)
class SoakIT {

    static final long DEFAULT_SECONDS = 60;
    static final int PORT = 9000;
    static final int HEADER = 12;
    static final int MAX_PAYLOAD = 1472;
    /** Datagrams in flight at most: the sender waits for B (or counted drops) beyond it. */
    static final int WINDOW = 256;

    /** When NDIS reset an adapter during the run: seconds since the first datagram, one per reset. */
    static final class Resets {
        final NdisMiniportAdapterHandle adapter;
        final List<Double> at = new ArrayList<>();

        Resets(NdisMiniportAdapterHandle adapter) {
            this.adapter = adapter;
        }

        void look(long start) {
            int started = AdapterView.of(adapter).resetsStarted();
            while (at.size() < started) {
                at.add((System.nanoTime() - start) / 1e9);
            }
        }

        String report(String name) {
            StringBuilder s = new StringBuilder(name)
                    .append(" was reset ")
                    .append(at.size())
                    .append(at.size() == 1 ? " time" : " times");
            for (int i = 0; i < at.size(); i++) {
                s.append(i == 0 ? " at " : ", ").append(String.format(Locale.ROOT, "%.1f s", at.get(i)));
            }
            return s.toString();
        }
    }

    /** What B saw; guarded by itself (the receive DPC writes it, the test reads it). */
    static final class Receiver {
        final BitSet seen = new BitSet();
        long received;
        long corrupt;
        long duplicates;
        long bytes;

        synchronized void datagram(ByteBuf frame, int offset, int length) {
            received++;
            bytes += length;
            if (length < HEADER) {
                corrupt++;
                notifyAll();
                return;
            }
            long sequence = frame.getLong(offset);
            CRC32 crc = new CRC32();
            crc.update(frame.nioBuffer(offset + HEADER, length - HEADER));
            if ((int) crc.getValue() != frame.getInt(offset + 8) || sequence < 0 || sequence > Integer.MAX_VALUE) {
                corrupt++;
            } else if (seen.get((int) sequence)) {
                duplicates++;
            } else {
                seen.set((int) sequence);
            }
            notifyAll();
        }
    }

    @Test
    @KernelOptions(timeout = "30m")
    void datagramsThroughTheSwitchAreAllAccountedFor(Kernel kernelA, Kernel kernelB) throws Exception {
        long datagrams = Long.getLong("ndis4j.soak.datagrams", 0);
        long seconds =
                datagrams > 0 ? Long.MAX_VALUE / 1_000_000_000L : Long.getLong("ndis4j.soak.seconds", DEFAULT_SECONDS);
        long seed = Long.getLong("ndis4j.soak.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Receiver receiver = new Receiver();

        // ARP entries outlive the run: after the first ping only soak datagrams cross A → B, so the drop
        // counters (taken as a difference from before the first datagram) count soak datagrams only.
        try (SwitchedHosts hosts = new SwitchedHosts(kernelA, kernelB, SwitchOptions.DEFAULTS, Duration.ofDays(1))) {
            hosts.b
                    .ip()
                    .listenUdp(
                            PORT,
                            (source, sourcePort, port, frame, offset, length) ->
                                    receiver.datagram(frame, offset, length));
            // Resolve B first: datagrams sent before ARP answers wait in a queue of 16 (beyond it, dropped).
            assertThat(hosts.a.ping(B_IP, 1, 1, 0, Duration.ofSeconds(5)).get()).isPresent();
            long before = drops(hosts); // frames of the set-up (a broadcast B's NIC met still disabled, …)
            byte[] payload = new byte[MAX_PAYLOAD];
            ByteBuf wrapped = Unpooled.wrappedBuffer(payload);
            long sent = 0;
            long sentBytes = 0;
            Resets resetsA = new Resets(hosts.a.adapter());
            Resets resetsB = new Resets(hosts.b.adapter());
            int resetsBefore = AdapterView.of(hosts.a.adapter()).resetsStarted()
                    + AdapterView.of(hosts.b.adapter()).resetsStarted();
            assertThat(resetsBefore).as("resets before the first datagram").isZero();
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (datagrams > 0 ? sent < datagrams : System.nanoTime() < end) {
                int length = HEADER + 4 + random.nextInt(MAX_PAYLOAD - HEADER - 4 + 1);
                for (int i = HEADER; i < length; i++) {
                    payload[i] = (byte) random.nextInt(256);
                }
                CRC32 crc = new CRC32();
                crc.update(payload, HEADER, length - HEADER);
                putLong(payload, 0, sent);
                putInt(payload, 8, (int) crc.getValue());
                awaitWindow(receiver, hosts, sent, before);
                hosts.a.ip().sendUdp(B_IP, PORT + 1, PORT, wrapped, 0, length);
                sent++;
                sentBytes += length;
                if ((sent & 0xFF) == 0) {
                    resetsA.look(start);
                    resetsB.look(start);
                }
            }
            long sending = System.nanoTime() - start;
            long total = sent;
            try {
                Await.until(
                        kernelB,
                        "every datagram received or counted as dropped",
                        Duration.ofSeconds(30),
                        () -> received(receiver) + drops(hosts) - before == total);
            } catch (AssertionError unaccounted) {
                resetsA.look(start);
                resetsB.look(start);
                System.out.println("soak: " + resetsA.report("A") + "; " + resetsB.report("B"));
                System.out.println("soak: " + total + " sent, " + received(receiver) + " received, "
                        + (drops(hosts) - before) + " counted as dropped; missing sequence numbers "
                        + missing(receiver, total) + "; seed "
                        + seed);
                System.out.println("soak drops: " + dropDetail(hosts));
                throw unaccounted;
            }
            long elapsed = System.nanoTime() - start;
            resetsA.look(start);
            resetsB.look(start);

            long drops = drops(hosts) - before;
            System.out.printf(
                    Locale.ROOT,
                    "soak: %d datagrams (%d bytes of payload) A→B in %.1f s (%.0f/s, sending %.1f s), %d received,"
                            + " %d dropped (counted), %d corrupt, %d duplicate; seed %d%n",
                    sent,
                    sentBytes,
                    elapsed / 1e9,
                    sent / (elapsed / 1e9),
                    sending / 1e9,
                    receiver.received,
                    drops,
                    receiver.corrupt,
                    receiver.duplicates,
                    seed);
            System.out.println("soak drops: " + dropDetail(hosts));
            if (!resetsA.at.isEmpty() || !resetsB.at.isEmpty()) {
                System.out.println("soak: " + resetsA.report("A") + "; " + resetsB.report("B")
                        + " (NDIS's check-for-hang; the frames the resets dropped are counted above)");
            }
            synchronized (receiver) {
                assertThat(receiver.corrupt).as("corrupt datagrams").isZero();
                assertThat(receiver.duplicates).as("duplicated datagrams").isZero();
                assertThat(receiver.received + drops)
                        .as("received + counted drops")
                        .isEqualTo(sent);
                assertThat((long) receiver.seen.cardinality()).isEqualTo(receiver.received);
            }
            assertThat(sent).as("datagrams sent").isPositive();
            IpStatistics a = hosts.a.ip().statistics();
            assertThat(a.get(IpCounter.UDP_SENT) + a.get(IpCounter.SEND_NO_RESOURCES))
                    .as("datagrams ipstack sent, or refused for want of an NBL")
                    .isEqualTo(sent);
        }
        // KernelExtension then closes both kernels: a verifier report, a leaked work item, pool, timer,
        // block of shared memory or Netty buffer fails the test.
    }

    /** The first sequence numbers B never saw. */
    private static String missing(Receiver receiver, long total) {
        StringBuilder s = new StringBuilder();
        synchronized (receiver) {
            int shown = 0;
            for (int seq = receiver.seen.nextClearBit(0);
                    seq < total && shown < 20;
                    seq = receiver.seen.nextClearBit(seq + 1)) {
                s.append(shown++ == 0 ? "" : ", ").append(seq);
            }
        }
        return s.toString();
    }

    private static long received(Receiver receiver) {
        synchronized (receiver) {
            return receiver.received;
        }
    }

    /**
     * Every place a datagram from A to B can be dropped, each counted once: A's ipstack (sends refused,
     * or completed with a failure — which is how a drop by A's filter or A's NIC comes back, so neither
     * is added again), the switch's ports, B's NIC as B's driver reports it (OID_GEN_STATISTICS:
     * ifInDiscards — no buffer, receive unit off, taken from the ring by a reset — and ifInErrors,
     * both kept across resets), B's filter and B's ipstack. PASSIVE_LEVEL (an OID request, held while
     * a reset of B runs).
     */
    static long drops(SwitchedHosts hosts) {
        IpStatistics a = hosts.a.ip().statistics();
        IpStatistics b = hosts.b.ip().statistics();
        NdisStatisticsInfo nicB = statistics(hosts.b.adapter());
        long fabric = 0;
        for (SwitchPortStatistics port : hosts.vswitch.ports()) {
            fabric += port.traffic().totalDrops();
        }
        return a.drops()
                + fabric
                + nicB.ifInDiscards()
                + nicB.ifInErrors()
                + hosts.b.filter().orElseThrow().statistics().drops()
                + b.drops();
    }

    /** OID_GEN_STATISTICS of {@code adapter}, as NDIS would query it. PASSIVE_LEVEL. */
    static NdisStatisticsInfo statistics(NdisMiniportAdapterHandle adapter) {
        NdisOidRequest request = NdisOidRequest.query(Oid.OID_GEN_STATISTICS, NdisStatisticsInfo.SIZE);
        NdisStatus status = NdisOidClient.of(adapter).requestAndWait(request);
        assertThat(status).as("OID_GEN_STATISTICS").isEqualTo(NdisStatus.SUCCESS);
        return NdisStatisticsInfo.decode(request.result());
    }

    private static String dropDetail(SwitchedHosts hosts) {
        return "A ipstack " + hosts.a.ip().statistics().nonZero() + "; B ipstack "
                + hosts.b.ip().statistics().nonZero()
                + "; A filter " + hosts.a.filter().orElseThrow().statistics() + "; B filter "
                + hosts.b.filter().orElseThrow().statistics() + "; A NIC "
                + hosts.a.nic().statistics() + "; B NIC "
                + hosts.b.nic().statistics() + "; B's driver " + statistics(hosts.b.adapter()) + "; switch "
                + hosts.vswitch.ports();
    }

    /**
     * Waits while {@link #WINDOW} datagrams are in flight: until B has them or they are counted as
     * dropped. The drops are read outside the receiver's monitor: the query waits for B's driver (and
     * for a reset of B to end), and B's receive DPC takes that monitor.
     */
    private static void awaitWindow(Receiver receiver, SwitchedHosts hosts, long sent, long dropsBefore)
            throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (; ; ) {
            long received;
            boolean stalled;
            synchronized (receiver) {
                if (sent - receiver.received < WINDOW && hosts.a.ip().sendsOutstanding() < WINDOW) {
                    return;
                }
                long before = receiver.received;
                // Woken by each datagram B receives; A's send completions wake nobody: looked at every ms.
                receiver.wait(sent - receiver.received >= WINDOW ? 10 : 1);
                received = receiver.received;
                stalled = received == before && sent - received >= WINDOW;
            }
            if (stalled && sent - received - (drops(hosts) - dropsBefore) < WINDOW) {
                return; // no progress for 10 ms: the missing ones were dropped, and counted
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("30 s without progress: " + (sent - received) + " in flight, "
                        + hosts.a.ip().sendsOutstanding() + " of A's sends outstanding");
            }
        }
    }

    private static void putLong(byte[] b, int offset, long v) {
        for (int i = 0; i < 8; i++) {
            b[offset + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private static void putInt(byte[] b, int offset, int v) {
        for (int i = 0; i < 4; i++) {
            b[offset + i] = (byte) (v >>> (24 - 8 * i));
        }
    }
}
