package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.EchoReply;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.examples.ipstack.Ipv4Address;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.tools.endpoint.HostPort;
import org.ndis4j.tools.pcap.CaptureBytes;
import org.ndis4j.wire.TapWirePort;
import org.ndis4j.wire.TcpWirePort;
import org.ndis4j.wire.WirePort;

/**
 * ipstack against the Linux kernel's own IP stack, over the TAP wire: no relay, no QEMU. Each test
 * makes a network namespace (deleted afterwards, pass or fail) where Linux's side of the TAP has
 * 10.9.0.1/24; ndis4j is 10.9.0.2. The TAP is either opened by this JVM and then moved into the
 * namespace, or opened by an {@code ndis4j} process started inside it.
 *
 * <pre>
 *   ndis4j (vmini + ipstack) ─ TapWirePort ─ tap n4j… ─ Linux (10.9.0.1/24)    namespace ndis4j-it-…
 *   ndis4j host ─TCP─ ndis4j switch ─ TAP port ─ tap n4j… ─ Linux               (the switch test)
 * </pre>
 * Without root, /dev/net/tun, ip, ping or tshark it says so loudly and is skipped; CI has them.
 */
@ExtendWith(KernelExtension.class)
@KernelOptions(timeout = "90s")
class LinuxTapIT {

    static final Duration RUN = Duration.ofSeconds(60);
    static final String LINUX = "10.9.0.1";
    static final String NDIS4J = "10.9.0.2";
    static final Pattern REPLY =
            Pattern.compile("^64 bytes from 10\\.9\\.0\\.1: icmp_seq=\\d ttl=64 time=\\d+(\\.\\d+)? ms$");
    static final MacAddress STATION = MacAddress.of("02:4e:44:00:09:02");

    private LinuxNamespace ns;
    private String tap;

    @BeforeEach
    void namespace() throws Exception {
        LinuxNamespace.assumeAvailable("ping", "tshark");
        ns = LinuxNamespace.create();
        tap = LinuxNamespace.tapName();
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void linuxPingGetsRepliesFromIpstackAndTsharkSeesWellFormedArpAndIcmp(Kernel kernel, @TempDir Path dir)
            throws Exception {
        Path pcap = dir.resolve("tap.pcap");
        try (IpHost host = ipHostOn(TapWirePort.open(tap), kernel)) {
            ns.adopt(tap, LINUX + "/24");
            Process tshark = capture(pcap, dir);
            try {
                String ping = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "5", NDIS4J);
                assertThat(ping).contains("3 packets transmitted, 3 received, 0% packet loss");
                assertThat(host.ip().statistics().get(IpCounter.ICMP_ECHO_REPLIES_SENT))
                        .isEqualTo(3);
                assertThat(host.ip().statistics().get(IpCounter.ARP_REPLIES_SENT))
                        .isPositive();
                // tshark stops by itself after ARP's two frames and ICMP's six (its capture filter
                // takes nothing else), so the file is complete: a signal could cut its last block.
                assertThat(tshark.waitFor(RUN.toSeconds(), TimeUnit.SECONDS))
                        .as("tshark captured 8 frames")
                        .isTrue();
            } finally {
                stop(tshark);
            }
        }
        // tshark's dissectors: ARP both ways, three requests and three replies, nothing malformed.
        String all = String.join("\n", read(pcap, "frame"));
        assertThat(read(pcap, "_ws.malformed || _ws.expert.severity >= \"Error\""))
                .as(all)
                .isEmpty();
        assertThat(read(pcap, "arp.opcode == 1 && arp.dst.proto_ipv4 == " + NDIS4J))
                .as(all)
                .isNotEmpty();
        assertThat(read(pcap, "arp.opcode == 2 && arp.src.proto_ipv4 == " + NDIS4J + " && eth.src == " + STATION))
                .as(all)
                .isNotEmpty();
        assertThat(read(pcap, "icmp.type == 8 && ip.dst == " + NDIS4J)).as(all).hasSize(3);
        assertThat(read(pcap, "icmp.type == 0 && ip.src == " + NDIS4J + " && !icmp.resp_not_found"))
                .as(all)
                .hasSize(3);
    }

    @Test
    void linuxResolvesIpstackAndItsDatagramPassesIpstacksChecksum(Kernel kernel) throws Exception {
        try (IpHost host = ipHostOn(TapWirePort.open(tap), kernel)) {
            ns.adopt(tap, LINUX + "/24");
            // bash's /dev/udp: Linux ARPs for 10.9.0.2 (ipstack answers) and sends a datagram to port 7.
            ns.exec("bash", "-c", "echo -n ndis4j > /dev/udp/" + NDIS4J + "/7");
            Await.until("the echo", RUN, () -> host.ip().statistics().get(IpCounter.UDP_ECHOED) == 1);
            assertThat(host.ip().statistics().get(IpCounter.UDP_BAD)).isZero();
            assertThat(ns.exec(LinuxNamespace.IP, "neigh", "show", NDIS4J)).contains("lladdr " + STATION);
        }
    }

    @Test
    void ndis4jPingOverATapGetsRepliesFromLinux() throws Exception {
        // A persistent TAP, up and addressed before ndis4j attaches: Linux is ready when ARP comes.
        ns.exec(LinuxNamespace.IP, "tuntap", "add", tap, "mode", "tap");
        ns.configure(tap, LINUX + "/24");
        try (JarRun ping = JarRun.startIn(
                ns,
                "ping",
                "--wire",
                "tap:" + tap,
                "--ip",
                NDIS4J + "/24",
                "--count",
                "3",
                "--interval",
                "200",
                LINUX)) {
            assertThat(ping.awaitExit(RUN)).as(ping.out() + ping.err()).isZero();
            List<String> lines = ping.outLines();
            assertThat(lines.stream().filter(l -> REPLY.matcher(l).matches())).hasSize(3);
            assertThat(lines).anyMatch(l -> l.startsWith("3 packets transmitted, 3 received, 0% packet loss"));
            assertThat(ping.err()).contains("ndis4j ping: on TAP " + tap);
        }
        // (Linux's neighbour entry for the pinger is gone by now: the TAP lost its carrier when the
        // process closed it, and Linux flushes a device's neighbours on carrier loss.)
    }

    @Test
    void ndis4jRunOnATapIsPingedByLinuxAndHaltsCleanlyOnSigterm() throws Exception {
        ns.exec(LinuxNamespace.IP, "tuntap", "add", tap, "mode", "tap");
        ns.configure(tap, LINUX + "/24");
        try (JarRun run = JarRun.startIn(
                ns,
                "run",
                "--driver",
                "vmini",
                "--protocol",
                "ipstack",
                "--ip",
                NDIS4J + "/24",
                "--mac",
                STATION.toString(),
                "--wire",
                "tap:" + tap,
                "--stats-interval",
                "0")) {
            run.awaitErr(Pattern.compile("ndis4j run: (running) \\(Ctrl-C stops\\)"), RUN);
            assertThat(run.err())
                    .contains("ndis4j run: vmini/vnic0 on tap:" + tap + ", MAC " + STATION)
                    .contains("ndis4j run: vnic0 on TAP " + tap);
            String ping = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "5", NDIS4J);
            assertThat(ping).contains("3 packets transmitted, 3 received, 0% packet loss");
            assertThat(ns.exec(LinuxNamespace.IP, "neigh", "show", NDIS4J)).contains("lladdr " + STATION);
            run.terminate();
            assertThat(run.awaitExit(RUN)).as(run.err()).isZero();
            assertThat(run.err()).contains("halted cleanly, nothing leaked");
            // the statistics line at exit: vmini received Linux's ARP request and three echo requests
            Matcher line = Pattern.compile("vnic0 Running link up: rx (\\d+) tx (\\d+) frames")
                    .matcher(run.out());
            assertThat(line.find()).as(run.out()).isTrue();
            assertThat(Long.parseLong(line.group(1))).isGreaterThanOrEqualTo(4);
            assertThat(Long.parseLong(line.group(2))).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void ndis4jInjectOverATapDeliversEveryFrameToLinux(@TempDir Path dir) throws Exception {
        ns.exec(LinuxNamespace.IP, "tuntap", "add", tap, "mode", "tap");
        ns.configure(tap, LINUX + "/24");
        MacAddress linuxMac = MacAddress.of(
                ns.exec("cat", "/sys/class/net/" + tap + "/address").strip());
        int frames = 500;
        CaptureBytes pcap = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, 1);
        for (int i = 0; i < frames; i++) {
            pcap.record(1, i, IcmpEcho.request(linuxMac, STATION, NDIS4J, LINUX, 0x4e44, i + 1, 56));
        }
        Path file = Files.write(dir.resolve("echo.pcap"), pcap.toByteArray());
        long echoesBefore = icmpInEchos();
        long rxBefore = rxPackets();
        try (JarRun inject = JarRun.startIn(ns, "inject", "--wire", "tap:" + tap, "--pcap", file.toString())) {
            assertThat(inject.awaitExit(RUN)).as(inject.err()).isZero();
            assertThat(inject.err()).contains("ndis4j inject: on TAP " + tap);
            assertThat(inject.out())
                    .startsWith("ndis4j inject: " + frames + " frames (" + frames * 98L + " bytes) from " + file
                            + " (pcap (little-endian, µs)) to tap:" + tap)
                    .doesNotContain("refused");
        }
        // Every frame reached Linux's stack as received on the interface, and every one was a good echo request.
        assertThat(rxPackets() - rxBefore).isEqualTo(frames);
        assertThat(icmpInEchos() - echoesBefore).isEqualTo(frames);
    }

    /** The TAP's received-frames counter, as the namespace's sysfs shows it. */
    private long rxPackets() throws Exception {
        return Long.parseLong(ns.exec("cat", "/sys/class/net/" + tap + "/statistics/rx_packets")
                .strip());
    }

    /** Icmp InEchos of the namespace's /proc/net/snmp: echo requests Linux's stack accepted. */
    private long icmpInEchos() throws Exception {
        List<String> icmp = ns.exec("cat", "/proc/net/snmp")
                .lines()
                .filter(l -> l.startsWith("Icmp: "))
                .toList();
        List<String> names = List.of(icmp.get(0).split("\\s+"));
        List<String> values = List.of(icmp.get(1).split("\\s+"));
        return Long.parseLong(values.get(names.indexOf("InEchos")));
    }

    @Test
    void ndis4jPingOnATapItCannotOpenSaysWhyInOneLine() throws Exception {
        // An interface of that name exists and is not a TAP (a TUN): TUNSETIFF refuses it.
        ns.exec(LinuxNamespace.IP, "tuntap", "add", tap, "mode", "tun");
        try (JarRun ping = JarRun.startIn(ns, "ping", "--wire", "tap:" + tap, "--ip", NDIS4J + "/24", LINUX)) {
            assertThat(ping.awaitExit(RUN)).isEqualTo(1);
            assertThat(ping.err().lines().toList())
                    .containsExactly("ndis4j ping: cannot open TAP " + tap + ": TUNSETIFF: Invalid argument"
                            + " (an interface of that name exists and is not a TAP)");
        }
    }

    @Test
    void theSwitchWithATapPortForwardsBetweenLinuxAndATcpHost(Kernel kernel) throws Exception {
        try (JarRun sw = JarRun.start("switch", "--listen", "127.0.0.1:0", "--tap", tap, "--stats-interval", "0")) {
            String listen = sw.awaitOut(Pattern.compile("^ndis4j switch listening on (\\S+)"), RUN);
            sw.awaitOut(Pattern.compile("^  TAP " + tap + " on port (1)$"), RUN);
            ns.adopt(tap, LINUX + "/24"); // the switch's descriptor follows the device into the namespace
            InetSocketAddress switchAddress = new HostPort().convert(listen);
            try (IpHost host = ipHostOn(TcpWirePort.connect(switchAddress), kernel)) {
                Await.until("the link", RUN, host.ip()::isLinkUp);
                // Linux → switch (TAP port) → TCP → ipstack, and back.
                String ping = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "5", NDIS4J);
                assertThat(ping).contains("3 packets transmitted, 3 received, 0% packet loss");
                // ipstack → TCP → switch → TAP → Linux, and back.
                Optional<EchoReply> reply = host.ping(Ipv4Address.parse(LINUX), 0x1313, 1, 56, RUN)
                        .get(RUN.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(reply).isPresent();
                assertThat(host.ip().statistics().get(IpCounter.ICMP_ECHO_REPLIES_SENT))
                        .isEqualTo(3);
            }
        }
    }

    private static IpHost ipHostOn(WirePort wire, Kernel kernel) {
        return IpHost.builder("ipstack", wire)
                .kernel(kernel)
                .mac(STATION)
                .address(InterfaceConfig.parse(NDIS4J + "/24"))
                .filter(false)
                .start();
    }

    /**
     * tshark on the TAP inside the namespace, writing {@code pcap} with the ARP and ICMP frames it
     * sees until it has 8; returns once it captures.
     */
    private Process capture(Path pcap, Path dir) throws Exception {
        Path log = dir.resolve("tshark.log");
        Process tshark = new ProcessBuilder(ns.inside(
                        "tshark",
                        "-i",
                        tap,
                        "-f",
                        "arp or icmp",
                        "-c",
                        "8",
                        "-a",
                        "duration:60",
                        "-w",
                        pcap.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Await.until("tshark capturing on " + tap, RUN, () -> {
            if (!tshark.isAlive()) {
                throw new AssertionError("tshark exited: " + Files.readString(log));
            }
            // "Capturing on" comes before dumpcap really captures; this line comes once it does.
            return Files.readString(log).contains("Capture started");
        });
        return tshark;
    }

    private static void stop(Process tshark) throws Exception {
        if (!tshark.isAlive()) {
            return;
        }
        tshark.destroy(); // SIGTERM
        if (!tshark.waitFor(30, TimeUnit.SECONDS)) {
            tshark.destroyForcibly();
            throw new AssertionError("tshark did not stop");
        }
    }

    /** The summary lines of the frames of {@code pcap} that match the display filter. */
    private static List<String> read(Path pcap, String filter) throws Exception {
        return summaries(LinuxNamespace.run("tshark", "-r", pcap.toString(), "-Y", filter));
    }

    private static List<String> summaries(String output) {
        return output.lines().filter(l -> l.matches("^\\s*\\d+ .*")).toList();
    }
}
