package org.ndis4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.examples.ipstack.IpInterface;
import org.ndis4j.examples.ipstack.Ipv4Address;
import org.ndis4j.examples.ipstack.LinkEvent;
import org.ndis4j.examples.vlanfilter.VlanFilterModule;
import org.ndis4j.examples.vlanfilter.VlanFilterStatistics;
import org.ndis4j.examples.vlanfilter.VlanPolicy;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.TcpWireOptions;
import org.ndis4j.wire.TcpWirePort;
import org.ndis4j.wire.VirtualSwitch;

/**
 * The demo: real packets through two Java drivers and a filter, in a few seconds. A switch on
 * loopback, two hosts (virtual NIC, vmini, vlanfilter, ipstack, each on a kernel of its own):
 *
 * <pre>
 *   1 A pings B
 *   2 B's switch port is pulled: the link-down path on B, step by step (ISR, DPC, work item at
 *     PASSIVE_LEVEL, NdisMIndicateStatusEx, FilterStatus, ProtocolStatusEx), while A's pings time out
 *   3 the port comes back: link up, a gratuitous ARP, pings resume
 *   4 a pended OID turns promiscuous mode on B on and off, and B's NIC sees (or filters) frames for
 *     a station that does not exist
 *   5 the filter's policy changes through its vendor OID: B drops IPv4, then both hosts go on VLAN 42
 *   a summary table (RTTs, frames, interrupts, DPCs, work items, OIDs, drops) and a pcap of the switch
 * </pre>
 * Each step checks what it shows; the demo fails (exit status 1) when one did not happen.
 */
public final class PingDemo {

    public static final Path DEFAULT_PCAP = Path.of("demo.pcap");

    static final MacAddress A_MAC = MacAddress.of("02:4e:44:00:0a:01");
    static final MacAddress B_MAC = MacAddress.of("02:4e:44:00:0b:01");
    static final int A_IP = Ipv4Address.parse("10.0.0.1");
    static final int B_IP = Ipv4Address.parse("10.0.0.2");
    static final int GHOST_IP = Ipv4Address.parse("10.0.0.99");
    static final long GHOST_MAC = 0x0200_0000_0099L;
    static final int B_PORT = 2;
    static final Duration WAIT = Duration.ofSeconds(10);
    static final TcpWireOptions FAST_RECONNECT =
            TcpWireOptions.DEFAULTS.withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));

    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();
    private final List<Long> rttMicros = new ArrayList<>();
    private int pingSession;

    private PingDemo(PrintStream out) {
        this.out = out;
    }

    /**
     * Keeps this process's logging to warnings, the NDIS trace included, so that the output is the
     * story (or ping(8)'s lines) — unless {@code -Dorg.slf4j.simpleLogger.log.org.ndis4j.trace=debug}
     * or {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=...} say otherwise. slf4j-simple reads these
     * when a logger is first made, so call it first thing.
     */
    public static void quietLogs() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.ndis4j.trace", "warn");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** {@code [--pcap FILE]}. Exit status 0, 1 when a step did not happen, 2 for a bad argument. */
    public static void main(String[] args) throws Exception {
        quietLogs();
        Path pcap = DEFAULT_PCAP;
        if (args.length == 2 && args[0].equals("--pcap")) {
            pcap = Path.of(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: PingDemo [--pcap FILE]");
            System.exit(2);
        }
        System.exit(run(pcap, System.out));
    }

    /**
     * Runs the demo, writing the switch's capture to {@code pcap} (replacing an earlier capture,
     * never a symlink or another file). Returns 0 when every step happened, 1 when one did not or a
     * machine bug-checked, 2 when {@code pcap} cannot be written.
     */
    public static int run(Path pcap, PrintStream out) throws InterruptedException {
        CaptureFile capture;
        try {
            capture = CaptureFile.prepare(pcap);
        } catch (IOException e) {
            out.println("ndis4j demo: " + e.getMessage());
            return 2;
        }
        PingDemo demo = new PingDemo(out);
        boolean committed = false;
        try {
            demo.tell(capture);
            capture.commit();
            committed = true;
            out.println("pcap: " + capture.target() + " (" + CaptureFile.countFrames(capture.target())
                    + " frames; read it with tshark -r " + capture.target() + ")");
        } catch (IOException e) {
            out.println("ndis4j demo: cannot write " + pcap + ": " + e.getMessage());
            return 2;
        } finally {
            if (!committed) {
                capture.discard();
            }
        }
        if (!demo.failures.isEmpty()) {
            out.println("ndis4j demo FAILED: " + String.join("; ", demo.failures));
            return 1;
        }
        return 0;
    }

    private void tell(CaptureFile capture) throws InterruptedException {
        VirtualSwitch vswitch = VirtualSwitch.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SwitchOptions.DEFAULTS.withCapture(capture.temporary()));
        IpHost a = null;
        IpHost b = null;
        try {
            out.println("ndis4j demo: a switch on "
                    + vswitch.localAddress().getAddress().getHostAddress() + ":"
                    + vswitch.localAddress().getPort() + " (loopback TCP, QEMU stream framing), two hosts,"
                    + " each a kernel with a virtual NIC, vmini, vlanfilter and ipstack");
            a = host("host-a", A_MAC, A_IP, vswitch);
            awaitStep(
                    "A on switch port 1",
                    () -> vswitch.ports().size() == 1 && vswitch.ports().get(0).connected());
            b = host("host-b", B_MAC, B_IP, vswitch);
            awaitStep("B on switch port 2", () -> bConnected(vswitch));
            awaitStep("both links up", a.ip()::isLinkUp);
            awaitStep("both links up", b.ip()::isLinkUp);

            section("1. A pings B");
            expectReplies(ping(a, B_IP, Duration.ofMillis(500)), 3, "A's pings to B");

            pullAndPlug(vswitch, a, b);
            promiscuous(a, b);
            policies(a, b);

            section("Summary");
            DemoSummary.print(out, a, b, vswitch, rttMicros);
        } finally {
            try {
                if (b != null) {
                    b.close();
                }
                if (a != null) {
                    a.close();
                }
            } finally {
                vswitch.close();
            }
        }
    }

    private static boolean bConnected(VirtualSwitch vswitch) {
        return vswitch.ports().size() >= B_PORT
                && vswitch.ports().get(B_PORT - 1).connected();
    }

    private IpHost host(String name, MacAddress mac, int ip, VirtualSwitch vswitch) {
        IpHost host = IpHost.builder(name, TcpWirePort.connect(vswitch.localAddress(), null, FAST_RECONNECT))
                .mac(mac)
                .address(InterfaceConfig.of(ip, 24))
                .start();
        host.kernel().onCrash(report -> {
            out.println(report.toText());
            failures.add(name + " bug-checked");
        });
        out.println(name + ": " + host.ip().config() + " " + mac + " (vmini, vlanfilter, ipstack on "
                + host.kernel().name() + ")");
        return host;
    }

    private void pullAndPlug(VirtualSwitch vswitch, IpHost a, IpHost b) throws InterruptedException {
        section("2. B's switch port is pulled (admin down): the link-down path on B");
        IpInterface bIp = b.ip();
        LinkDownPath path = new LinkDownPath(b);
        int events = bIp.linkEvents().size();
        path.start();
        vswitch.setAdminUp(B_PORT, false);
        if (awaitStep("B's ipstack hearing link down", () -> !bIp.isLinkUp())) {
            List<LinkEvent> seen = bIp.linkEvents();
            path.finish(seen.get(seen.size() - 1)).forEach(out::println);
            if (seen.size() <= events) {
                failures.add("no link event at B's ipstack");
            }
        }
        out.println("A pings B while B is unplugged:");
        expectReplies(ping(a, B_IP, Duration.ofMillis(300)), 0, "A's pings to an unplugged B");

        section("3. B's port comes back: link up, a gratuitous ARP, pings resume");
        long announced = bIp.statistics().get(IpCounter.ARP_GRATUITOUS_SENT);
        vswitch.setAdminUp(B_PORT, true);
        if (awaitStep("B's link up", bIp::isLinkUp)
                && awaitStep(
                        "B's gratuitous ARP", () -> bIp.statistics().get(IpCounter.ARP_GRATUITOUS_SENT) > announced)) {
            LinkEvent up = bIp.linkEvents().get(bIp.linkEvents().size() - 1);
            out.println("  B's ipstack: link up (ProtocolStatusEx at " + up.irql() + " on " + up.thread()
                    + "), gratuitous ARP for " + Ipv4Address.format(B_IP) + " sent");
        }
        expectReplies(ping(a, B_IP, Duration.ofMillis(500)), 3, "A's pings once B is back");
    }

    private void promiscuous(IpHost a, IpHost b) throws InterruptedException {
        section("4. A pended OID turns promiscuous mode on B on and off");
        a.ip().addStaticArpEntry(GHOST_IP, GHOST_MAC);
        out.println("  A has a static ARP entry " + Ipv4Address.format(GHOST_IP)
                + " -> 02:00:00:00:00:99, a station nobody is: the switch floods frames for it");
        IpInterface bIp = b.ip();
        setPromiscuous(bIp, true);
        long otherHost = bIp.statistics().get(IpCounter.OTHER_HOST);
        sendGhost(a);
        boolean seen =
                awaitStep("B seeing the 5 frames", () -> bIp.statistics().get(IpCounter.OTHER_HOST) == otherHost + 5);
        out.println("  A sends 5 datagrams to " + Ipv4Address.format(GHOST_IP)
                + ": B's NIC lets them in, B's ipstack counts "
                + (bIp.statistics().get(IpCounter.OTHER_HOST) - otherHost) + " frames for another station"
                + (seen ? "" : " (expected 5)"));

        setPromiscuous(bIp, false);
        long filtered = b.nic().statistics().get(StatisticsCounter.RX_FILTERED);
        long otherHostNow = bIp.statistics().get(IpCounter.OTHER_HOST);
        sendGhost(a);
        boolean dropped = awaitStep(
                "B's NIC filtering the 5 frames",
                () -> b.nic().statistics().get(StatisticsCounter.RX_FILTERED) == filtered + 5);
        out.println("  the same 5 datagrams: B's NIC filters "
                + (b.nic().statistics().get(StatisticsCounter.RX_FILTERED) - filtered)
                + " (its receive filter, programmed by the OID), B's ipstack sees "
                + (bIp.statistics().get(IpCounter.OTHER_HOST) - otherHostNow)
                + (dropped ? "" : " (expected 5 filtered)"));
    }

    private void setPromiscuous(IpInterface ip, boolean on) {
        long pended = ip.statistics().get(IpCounter.OIDS_PENDED);
        CompletableFuture<NdisStatus> done = new CompletableFuture<>();
        ip.setPromiscuous(on, done::complete);
        NdisStatus status = done.join();
        boolean didPend = ip.statistics().get(IpCounter.OIDS_PENDED) > pended;
        out.println("  B: OID_GEN_CURRENT_PACKET_FILTER " + (on ? "+PROMISCUOUS" : "-PROMISCUOUS") + " -> "
                + (didPend
                        ? "NDIS_STATUS_PENDING (NDIS queues it for MiniportOidRequest) ... ProtocolOidRequestComplete: "
                        : "")
                + status);
        if (status != NdisStatus.SUCCESS || !didPend) {
            failures.add("the promiscuous OID " + (didPend ? "failed: " + status : "did not pend"));
        }
    }

    private static void sendGhost(IpHost a) {
        for (int i = 0; i < 5; i++) {
            a.ip().sendUdp(GHOST_IP, 40000, 9, new byte[32]);
        }
    }

    private void policies(IpHost a, IpHost b) throws InterruptedException {
        section("5. The filter's policy changes through its vendor OID (OID_VLANFILTER_POLICY, 0xFF4E0001)");
        VlanFilterModule bFilter = b.filter().orElseThrow();
        setPolicy(b, VlanPolicy.dropping(0x0800));
        expectReplies(ping(a, B_IP, Duration.ofMillis(300)), 0, "A's pings while B drops IPv4");
        out.println("  B's filter dropped " + bFilter.statistics().policyDropsReceive() + " IPv4 frames on receive");

        setPolicy(b, VlanPolicy.vlan(42));
        setPolicy(a, VlanPolicy.vlan(42));
        expectReplies(ping(a, B_IP, Duration.ofMillis(500)), 3, "A's pings on VLAN 42");
        VlanFilterStatistics aFilter = a.filter().orElseThrow().statistics();
        out.println(
                "  on the wire the frames carry an 802.1Q tag (VLAN 42): A's filter inserted " + aFilter.tagsInserted()
                        + " tags, B's stripped " + bFilter.statistics().tagsStripped());
        if (aFilter.tagsInserted() == 0) {
            failures.add("no 802.1Q tag inserted");
        }
        setPolicy(a, VlanPolicy.NONE);
        setPolicy(b, VlanPolicy.NONE);
    }

    private void setPolicy(IpHost host, VlanPolicy policy) {
        NdisOidRequest set = policy.setRequest();
        CompletableFuture<NdisStatus> done = new CompletableFuture<>();
        host.ip().oidRequest(set, done::complete);
        NdisStatus status = done.join();
        VlanFilterModule.PolicyApplication applied = host.filter().orElseThrow().lastApplication();
        out.println("  " + host.kernel().name().replaceAll("#.*", "") + ": policy \"" + policy + "\" -> " + status
                + (applied != null && applied.policy().equals(policy)
                        ? " (pended; applied by the filter's I/O work item at " + applied.irql() + " on "
                                + applied.thread() + ")"
                        : ""));
        if (status != NdisStatus.SUCCESS) {
            failures.add("setting policy " + policy + ": " + status);
        }
    }

    private PingStatistics ping(IpHost from, int to, Duration timeout) throws InterruptedException {
        Ping ping = new Ping(to, 3, Duration.ofMillis(200), timeout, 56, 0x4e00 + ++pingSession);
        PingStatistics statistics = ping.run(from.ip(), line -> out.println("  " + line));
        rttMicros.addAll(statistics.rttMicros());
        return statistics;
    }

    private void expectReplies(PingStatistics statistics, int expected, String what) {
        if (statistics.receivedCount() != expected) {
            failures.add(what + ": " + statistics.receivedCount() + " replies, expected " + expected);
        }
    }

    private void section(String title) {
        out.println();
        out.println(title);
    }

    /** Waits for a step of the story (the kernel's and ipstack's own state, with a deadline). */
    private boolean awaitStep(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                failures.add(what + " did not happen within " + WAIT.toSeconds() + " s");
                out.println("  (" + what + " did not happen within " + WAIT.toSeconds() + " s)");
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }
}
