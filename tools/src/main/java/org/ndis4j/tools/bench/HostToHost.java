package org.ndis4j.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.EchoReply;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.wire.TcpWirePort;

/**
 * Host to host through the ndis4j switch: two hosts (each a simulated kernel with a virtual NIC,
 * vmini and ipstack, in this JVM) on TCP ports of a switch in a JVM of its own.
 *
 * <pre>
 * A: ipstack ─NBL─▶ vmini ─ring─▶ NIC ─TCP─▶ switch ─TCP─▶ NIC ─ring─▶ vmini ─indication─▶ ipstack :B
 * </pre>
 *
 * <ul>
 *   <li>{@link Udp}: datagrams from A to B at one frame size (64 B: 22 bytes of payload; 1514 B:
 *       1472), as fast as they arrive (at most {@link #WINDOW} between A's send and B's receive), next to
 *       the same switch's own forwarding rate at that frame size ({@link WireLoad}), run after run.
 *       A JFR profile of this JVM over the measured runs says where the time goes.</li>
 *   <li>{@link PingRtt}: echo round trips A → B → A, one at a time, p50 and p99 as ipstack measures
 *       them (as ping(8) does), next to Linux's ping of an ipstack behind a TAP, where root and
 *       /dev/net/tun allow ({@link LinuxPing}).</li>
 * </ul>
 */
final class HostToHost {

    /** Datagrams in flight at most, A's send to B's receive: half of B's receive ring. */
    static final int WINDOW = 128;
    /** How long the window may stand still before what is in it is written off as lost. */
    static final Duration GIVE_UP = Duration.ofSeconds(1);
    /** How long B may receive nothing before a run ends with what arrived. */
    static final Duration STALL = Duration.ofSeconds(5);
    /** The longest the sender waits for B to wake it before it looks at the window again. */
    static final Duration WAIT_FOR_ROOM = Duration.ofMillis(1);
    /**
     * At least this many datagrams, and ping round trips, before the first measured run: with 50,000
     * the JIT was still compiling in the runs of a 50,000-datagram command (they cost 3 to 6 times the
     * CPU per datagram of a later run).
     */
    static final int WARM_UP_DATAGRAMS = 200_000;

    /**
     * At least this many round trips before the first measured ping run: after 2,000 the first three
     * runs of 1,000 still fell (p50 341, 207, 205 µs, then 163 to 192 µs on a quiet machine): the JIT.
     */
    static final int WARM_UP_PINGS = 10_000;

    static final InterfaceConfig A = InterfaceConfig.parse("10.10.0.1/24");
    static final InterfaceConfig B = InterfaceConfig.parse("10.10.0.2/24");
    static final int PORT = 9;
    /** Ethernet, IPv4 and UDP headers in front of a datagram's payload. */
    static final int HEADERS = 14 + 20 + 8;

    private HostToHost() {}

    /** Two hosts on a fresh switch process; closed in reverse order. */
    private static final class Rig implements AutoCloseable {
        final Relay.Switch sw;
        final IpHost a;
        final IpHost b;

        Rig(BenchSettings s) throws Exception {
            sw = Relay.Switch.start(s.ndis4j(), false);
            IpHost first = null;
            try {
                InetSocketAddress address = sw.txAddress();
                first = host("bench-a", A, address);
                a = first;
                b = host("bench-b", B, address);
            } catch (Exception e) {
                if (first != null) {
                    first.close();
                }
                sw.close();
                throw e;
            }
        }

        private static IpHost host(String name, InterfaceConfig address, InetSocketAddress sw) throws Exception {
            IpHost h = IpHost.builder(name, TcpWirePort.connect(sw))
                    .mac(new MacAddress(0x0200_0000_0000L | (address.address() & 0xFFFF_FFFFL)))
                    .address(address)
                    .filter(false)
                    .start();
            long deadline = System.nanoTime() + STALL.toNanos() * 2;
            while (!h.ip().isLinkUp()) {
                if (System.nanoTime() - deadline > 0) {
                    h.close();
                    throw new IllegalStateException(name + ": no link to the switch");
                }
                LockSupport.parkNanos(1_000_000);
            }
            return h;
        }

        /** A round trip first: ARP resolved both ways, the switch has learned both stations. */
        void resolve() throws Exception {
            for (int i = 0; i < 50; i++) {
                if (a.ping(B.address(), 1, i, 8, Duration.ofMillis(200))
                        .get(1, TimeUnit.SECONDS)
                        .isPresent()) {
                    return;
                }
            }
            throw new IllegalStateException("host A never reached host B through the switch");
        }

        @Override
        public void close() {
            try {
                b.close();
            } finally {
                try {
                    a.close();
                } finally {
                    sw.close();
                }
            }
        }
    }

    /**
     * CPU time used so far by this JVM (the hosts, or the generator) and by {@code sw}'s process: what
     * a frame costs the whole machine, a figure the load of other processes moves far less than a rate.
     */
    static Duration cpuTime(Relay.External sw) {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .orElse(Duration.ZERO)
                .plus(sw.cpuTime());
    }

    static double micros(Duration d) {
        return d.toNanos() / 1e3;
    }

    /** UDP datagrams from A to B at one frame size. */
    static final class Udp implements Benchmark {
        private final int size;

        Udp(int size) {
            this.size = size;
        }

        @Override
        public String name() {
            return "host-udp-" + size;
        }

        @Override
        public String description() {
            return "host to host through the switch, UDP in " + size + "-byte frames (and the switch alone)";
        }

        long datagrams(BenchSettings s) {
            return Math.max(1000, s.frames(size) / 20);
        }

        @Override
        public long work(BenchSettings s) {
            return Math.max(WARM_UP_DATAGRAMS, datagrams(s)) + 2L * s.runs() * datagrams(s);
        }

        @Override
        public List<Result> run(BenchSettings s, Progress progress) throws Exception {
            long count = datagrams(s);
            List<double[]> hosts = new ArrayList<>(); // {datagrams/s, loss, CPU µs per datagram}
            List<Double> aloneCpu = new ArrayList<>(); // CPU µs per frame, the switch alone
            List<WireLoad.Outcome> alone = new ArrayList<>();
            Profile profile = new Profile(Thread.currentThread().getName());
            try (Rig rig = new Rig(s);
                    Relay.Switch sw = Relay.Switch.start(s.ndis4j(), false)) {
                rig.resolve();
                Profile.prime(); // before the warm-up: the first recording makes the JIT start over
                progress.phase(size + " B: warm-up, hosts");
                // A whole run's worth: with half of one the first measured run still met the JIT at work.
                blast(rig, Math.max(WARM_UP_DATAGRAMS, count), s.burst(), progress);
                for (int run = 1; run <= s.runs(); run++) {
                    progress.phase(size + " B: hosts, run " + run);
                    profile.start();
                    try {
                        Duration cpu = cpuTime(rig.sw);
                        double[] r = blast(rig, count, s.burst(), progress);
                        hosts.add(
                                new double[] {r[0], r[1], micros(cpuTime(rig.sw).minus(cpu)) / r[2]});
                    } finally {
                        profile.stop();
                    }
                    progress.phase(size + " B: switch alone, run " + run);
                    Duration cpu = cpuTime(sw);
                    WireLoad.Outcome o =
                            WireLoad.run(sw.txAddress(), sw.rxAddress(), count * 4, size, sw.ready(), progress);
                    aloneCpu.add(micros(cpuTime(sw).minus(cpu)) / Math.max(1, o.received()));
                    alone.add(o);
                }
            }
            boolean small = size <= 64;
            List<Double> values = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            double worstLoss = 0;
            for (int i = 0; i < hosts.size(); i++) {
                double fps = hosts.get(i)[0];
                WireLoad.Outcome o = alone.get(i);
                values.add(small ? fps / 1e3 : fps * size * 8 / 1e9);
                ratios.add(fps / o.framesPerSecond());
                worstLoss = Math.max(worstLoss, hosts.get(i)[1]);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("frameBytes", size);
            details.put("datagramsPerRun", count);
            details.put("datagramsPerSendCall", s.burst());
            details.put("worstLoss", worstLoss);
            details.put("ratioToSwitch", Samples.median(ratios));
            details.put(
                    "cpuMicrosPerFrame",
                    Samples.median(hosts.stream().map(h -> h[2]).toList()));
            details.put("profileSamples", profile.samples());
            details.put("profileTop", profile.topFrames(6));
            details.put("profileNdis4j", profile.ndis4jFrames(6));
            details.put("profileThreads", profile.threads(4));
            List<Double> switchValues = alone.stream()
                    .map(o -> small ? o.framesPerSecond() / 1e6 : o.gigabitsPerSecond())
                    .toList();
            Map<String, Object> switchDetails = new LinkedHashMap<>();
            switchDetails.put("frameBytes", size);
            switchDetails.put("framesPerRun", count * 4);
            switchDetails.put("cpuMicrosPerFrame", Samples.median(aloneCpu));
            switchDetails.put(
                    "worstLoss",
                    alone.stream().mapToDouble(WireLoad.Outcome::loss).max().orElse(0));
            String metric = small ? "frames/s" : "throughput";
            return List.of(
                    Result.of(
                            name(),
                            "ndis4j host → switch → host (UDP)",
                            metric,
                            small ? "kpps" : "Gbit/s",
                            values,
                            details),
                    Result.of(
                            name(),
                            "ndis4j switch alone (same run)",
                            metric,
                            small ? "Mpps" : "Gbit/s",
                            switchValues,
                            switchDetails));
        }

        /**
         * A sends {@code count} datagrams to B, {@code burstSize} per send call; returns {datagrams/s at B,
         * loss, datagrams received}.
         */
        private double[] blast(Rig rig, long count, int burstSize, Progress progress) throws Exception {
            AtomicLong received = new AtomicLong();
            AtomicLong lastArrival = new AtomicLong();
            // The count at which B wakes the waiting sender (Long.MAX_VALUE: nobody waits).
            AtomicLong wakeAt = new AtomicLong(Long.MAX_VALUE);
            Thread sender = Thread.currentThread();
            rig.b.ip().listenUdp(PORT, (source, sourcePort, destinationPort, frame, offset, length) -> {
                long got = received.incrementAndGet();
                lastArrival.set(System.nanoTime());
                long at = wakeAt.get();
                if (got >= at && wakeAt.compareAndSet(at, Long.MAX_VALUE)) {
                    LockSupport.unpark(sender);
                }
            });
            // One payload, sent again and again (ipstack copies it into each frame).
            ByteBuf payload = Unpooled.wrappedBuffer(new byte[size - HEADERS]);
            try {
                List<ByteBuf> burst = new ArrayList<>();
                long start = System.nanoTime();
                long sent = 0;
                long reported = 0;
                // Datagrams on their way: at most WINDOW between A's send and B's receive, so B's
                // receive ring (255 buffers) never overflows. One lost (none should be) is written
                // off after GIVE_UP without progress, so the run goes on.
                long writtenOff = 0;
                long lastProgress = System.nanoTime();
                long lastReceived = 0;
                while (sent < count) {
                    long got = received.get();
                    if (got != lastReceived) {
                        lastReceived = got;
                        lastProgress = System.nanoTime();
                    }
                    long room = Math.min(
                            WINDOW - (sent - got - writtenOff),
                            WINDOW - rig.a.ip().sendsOutstanding());
                    if (room < Math.min(burstSize, count - sent)) {
                        if (System.nanoTime() - lastProgress > GIVE_UP.toNanos()) {
                            writtenOff = sent - got;
                            lastProgress = System.nanoTime();
                        }
                        // Wait until half the window has drained, as a socket's low-water mark does: B
                        // wakes the sender once per WINDOW / 2 datagrams, not every 10 µs as a polling
                        // sender would (a futex wake-up and a context switch each time).
                        long resumeAt = sent - writtenOff - WINDOW / 2;
                        if (resumeAt > got) {
                            wakeAt.set(resumeAt);
                            if (received.get() < resumeAt) {
                                LockSupport.parkNanos(WAIT_FOR_ROOM.toNanos());
                            }
                            wakeAt.set(Long.MAX_VALUE);
                        } else {
                            LockSupport.parkNanos(10_000); // A's own completions are behind: they wake nobody
                        }
                        continue;
                    }
                    int n = (int) Math.min(burstSize, count - sent);
                    if (n == 1) {
                        if (rig.a.ip().sendUdp(B.address(), PORT, PORT, payload, 0, payload.readableBytes())) {
                            sent++;
                        }
                    } else {
                        burst.clear();
                        for (int i = 0; i < n; i++) {
                            burst.add(payload);
                        }
                        sent += rig.a.ip().sendUdp(B.address(), PORT, PORT, burst);
                    }
                    if (sent - reported >= 1024) {
                        progress.step(sent - reported);
                        reported = sent;
                    }
                }
                progress.step(sent - reported);
                long lastSeen = received.get();
                long quietSince = System.nanoTime();
                while (received.get() < sent && System.nanoTime() - quietSince < STALL.toNanos()) {
                    LockSupport.parkNanos(1_000_000);
                    long now = received.get();
                    if (now != lastSeen) {
                        lastSeen = now;
                        quietSince = System.nanoTime();
                    }
                }
                long got = received.get();
                double seconds = Math.max(1e-9, (lastArrival.get() - start) / 1e9);
                return new double[] {got / seconds, 1.0 - (double) got / sent, Math.max(1, got)};
            } finally {
                payload.release();
                rig.b.ip().stopListeningUdp(PORT);
            }
        }
    }

    /** Echo round trips A → B → A through the switch, and Linux's to ipstack over a TAP. */
    static final class PingRtt implements Benchmark {
        @Override
        public String name() {
            return "host-ping";
        }

        @Override
        public String description() {
            return "ping round trip host to host through the switch (and Linux to ipstack over a TAP)";
        }

        int pings(BenchSettings s) {
            return Math.max(100, s.samples() / 10);
        }

        @Override
        public long work(BenchSettings s) {
            return 2L * s.runs() * pings(s);
        }

        @Override
        public List<Result> run(BenchSettings s, Progress progress) throws Exception {
            int n = pings(s);
            List<long[]> hosts = new ArrayList<>();
            List<long[]> linux = new ArrayList<>();
            String linuxNote = LinuxPing.unavailable();
            try (Rig rig = new Rig(s)) {
                rig.resolve();
                // Warm-up: with n / 2 round trips, or 2,000, the first measured runs were still slower (the JIT).
                for (int i = 0; i < Math.max(WARM_UP_PINGS, 2 * n); i++) {
                    rig.a.ping(B.address(), 2, i, 56, STALL).get();
                }
                for (int run = 1; run <= s.runs(); run++) {
                    progress.phase("ping hosts, run " + run);
                    hosts.add(pings(rig, n, progress));
                    if (linuxNote == null) {
                        progress.phase("Linux ping over a TAP, run " + run);
                        linux.add(LinuxPing.rtts(n));
                        progress.step(n);
                    }
                }
            }
            List<Result> results = new ArrayList<>();
            results.add(latency("ndis4j host → switch → host (ping)", hosts, null));
            if (!linux.isEmpty()) {
                results.add(latency("Linux ping → TAP → ipstack", linux, null));
            } else {
                results.add(latency("Linux ping → TAP → ipstack", List.of(), linuxNote));
            }
            return results;
        }

        private static long[] pings(Rig rig, int n, Progress progress) throws Exception {
            long[] rtts = new long[n];
            for (int i = 0; i < n; i++) {
                Optional<EchoReply> reply =
                        rig.a.ping(B.address(), 3, i & 0xFFFF, 56, STALL).get();
                rtts[i] = reply.map(EchoReply::rttNanos).orElse(STALL.toNanos());
                progress.step(1);
            }
            return rtts;
        }

        private Result latency(String subject, List<long[]> runs, String unavailable) {
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (long[] r : runs) {
                long[] sorted = Samples.sorted(r);
                p50.add(Samples.percentile(sorted, 50) / 1e3);
                p99.add(Samples.percentile(sorted, 99) / 1e3);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            if (!runs.isEmpty()) {
                details.put("medianP99Micros", Samples.median(p99));
                details.put("samplesPerRun", runs.get(0).length);
            }
            if (unavailable != null) {
                details.put("notMeasured", unavailable);
            }
            return Result.of(name(), subject, "p50 latency", "µs", p50, details);
        }
    }
}
