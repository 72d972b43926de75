package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.wire.TcpWirePort;

/**
 * ipstack against the Linux kernel's own IP stack. In a network namespace this test creates (and
 * deletes), QEMU joins a TAP device (10.9.0.1/24, Linux's stack) and a {@code -netdev stream}
 * listener on a Unix socket on one hub; a relay carries that socket to loopback TCP, where the virtual
 * NIC connects. Nothing leaves the namespace and this machine's loopback.
 *
 * <pre>
 *   ndis4j (ipstack) ─TCP 127.0.0.1─ relay ─unix socket─┐   namespace ndis4j-it-…
 *                                                      QEMU: stream ─ hub ─ tap ndt0 (10.9.0.1/24, Linux)
 * </pre>
 * It needs root, /dev/net/tun, {@code ip} and QEMU; without them it says so loudly and is skipped.
 */
@ExtendWith(KernelExtension.class)
@KernelOptions(timeout = "90s")
class PingLinuxIT {

    static final Duration RUN = Duration.ofSeconds(60);
    static final Pattern REPLY =
            Pattern.compile("^64 bytes from 10\\.9\\.0\\.1: icmp_seq=\\d ttl=64 time=\\d+(\\.\\d+)? ms$");

    /** iproute2's {@code ip}, which root's PATH has and a test JVM's may not. */
    static final String IP = onPath("ip") ? "ip" : "/usr/sbin/ip";

    private String namespace;
    private Process qemu;
    private UnixSocketRelay relay;

    @BeforeEach
    void linux(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(
                isRoot()
                        && Files.exists(Path.of("/dev/net/tun"))
                        && (onPath("ip") || Files.isExecutable(Path.of(IP)))
                        && onPath("qemu-system-x86_64"),
                "SKIPPED LOUDLY: the Linux interop test needs root, /dev/net/tun, ip (iproute2) and"
                        + " qemu-system-x86_64; CI runs as root with them");
        namespace = "ndis4j-it-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        run(IP, "netns", "add", namespace);
        run(IP, "netns", "exec", namespace, IP, "link", "set", "lo", "up");
        Path socket = dir.resolve("wire.sock");
        qemu = new ProcessBuilder(
                        IP,
                        "netns",
                        "exec",
                        namespace, // ip execs QEMU: the process is QEMU's
                        "qemu-system-x86_64",
                        "-machine",
                        "none",
                        "-nographic",
                        "-nodefaults",
                        "-netdev",
                        "tap,id=tap,ifname=ndt0,script=no,downscript=no",
                        "-netdev",
                        "stream,id=wire,server=on,addr.type=unix,addr.path=" + socket,
                        "-netdev",
                        "hubport,id=h0,hubid=0,netdev=tap",
                        "-netdev",
                        "hubport,id=h1,hubid=0,netdev=wire")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Await.until(
                "QEMU's tap and socket",
                () -> Files.exists(socket) && quietly(IP, "netns", "exec", namespace, IP, "link", "show", "ndt0"));
        run(IP, "netns", "exec", namespace, IP, "addr", "add", "10.9.0.1/24", "dev", "ndt0");
        run(IP, "netns", "exec", namespace, IP, "link", "set", "ndt0", "up");
        relay = new UnixSocketRelay(socket);
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (qemu != null) {
            qemu.destroy();
            if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
            }
        }
        if (namespace != null) {
            run(IP, "netns", "delete", namespace);
        }
    }

    @Test
    void linuxAnswersNdis4jPing() throws Exception {
        try (JarRun ping = JarRun.start(
                "ping",
                "--wire",
                "connect:127.0.0.1:" + relay.port(),
                "--ip",
                "10.9.0.2/24",
                "--count",
                "3",
                "--interval",
                "200",
                "10.9.0.1")) {
            assertThat(ping.awaitExit(RUN)).as(ping.out() + ping.err()).isZero();
            List<String> lines = ping.outLines();
            assertThat(lines.stream().filter(l -> REPLY.matcher(l).matches())).hasSize(3);
            assertThat(lines).anyMatch(l -> l.startsWith("3 packets transmitted, 3 received, 0% packet loss"));
        }
        // Linux learned the pinger's address from its ARP request (RFC 826's merge).
        assertThat(output(IP, "netns", "exec", namespace, IP, "neigh", "show", "10.9.0.2"))
                .contains("lladdr 02:00:0a:09:00:02");
    }

    @Test
    void linuxResolvesIpstackAndItsDatagramPassesIpstacksChecksum(Kernel kernel) throws Exception {
        try (IpHost host = IpHost.builder(
                        "ipstack",
                        TcpWirePort.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port())))
                .kernel(kernel)
                .mac(MacAddress.of("02:4e:44:00:09:02"))
                .address(InterfaceConfig.parse("10.9.0.2/24"))
                .start()) {
            Await.until("the link", host.ip()::isLinkUp);
            // bash's /dev/udp: Linux ARPs for 10.9.0.2 (ipstack answers) and sends a datagram to port 7.
            run(IP, "netns", "exec", namespace, "bash", "-c", "echo -n ndis4j > /dev/udp/10.9.0.2/7");
            Await.until("the echo", () -> host.ip().statistics().get(IpCounter.UDP_ECHOED) == 1);
            assertThat(host.ip().statistics().get(IpCounter.ARP_REPLIES_SENT)).isPositive();
            assertThat(host.ip().statistics().get(IpCounter.UDP_BAD)).isZero();
            assertThat(output(IP, "netns", "exec", namespace, IP, "neigh", "show", "10.9.0.2"))
                    .contains("lladdr 02:4e:44:00:09:02");
        }
    }

    private static boolean isRoot() throws Exception {
        return output("id", "-u").trim().equals("0");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static boolean quietly(String... command) {
        try {
            return exec(command).exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = exec(command);
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + read(p)).isZero();
    }

    private static String output(String... command) throws IOException, InterruptedException {
        return read(exec(command));
    }

    private static Process exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return p;
    }

    private static String read(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
