package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ndis4j ping} against an IP stack nobody here wrote: QEMU's user-mode network (slirp) on a
 * hub with a {@code -netdev stream} or {@code -netdev socket} listener, and no guest at all. Slirp
 * answers ARP for its gateway 10.0.2.2 and echo requests sent to it (locally, without a host socket,
 * so {@code restrict=on} keeps everything inside QEMU). CI installs QEMU (.ci/run); where it is
 * missing these tests say so loudly and are skipped.
 *
 * <pre>
 *   ndis4j ping ──TCP (QEMU stream framing)──► -netdev stream|socket ─ hub 0 ─ -netdev user,restrict=on (10.0.2.2)
 * </pre>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PingQemuIT {

    static final Duration RUN = Duration.ofSeconds(60);
    static final Pattern REPLY =
            Pattern.compile("^64 bytes from 10\\.0\\.2\\.2: icmp_seq=\\d ttl=255 time=\\d+(\\.\\d+)? ms$");

    private Process qemu;

    @AfterEach
    void stopQemu() throws InterruptedException {
        if (qemu != null) {
            qemu.destroy();
            if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
            }
        }
    }

    private int startQemu(String listenerKind) throws IOException {
        String binary = findQemu();
        Assumptions.assumeTrue(
                binary != null,
                "SKIPPED LOUDLY: qemu-system-x86_64 is not installed; CI installs it (apt-get install qemu-system-x86)");
        int port = freePort();
        String listener = listenerKind.equals("stream")
                ? "stream,id=wire,server=on,addr.type=inet,addr.host=127.0.0.1,addr.port=" + port
                : "socket,id=wire,listen=127.0.0.1:" + port;
        qemu = new ProcessBuilder(
                        binary,
                        "-machine",
                        "none",
                        "-nographic",
                        "-nodefaults",
                        "-netdev",
                        "user,id=slirp,restrict=on",
                        "-netdev",
                        listener,
                        "-netdev",
                        "hubport,id=h0,hubid=0,netdev=slirp",
                        "-netdev",
                        "hubport,id=h1,hubid=0,netdev=wire")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return port;
    }

    private static JarRun ping(int port, String target, int count) throws IOException {
        return JarRun.start(
                "ping",
                "--wire",
                "connect:127.0.0.1:" + port, // QEMU listens once started: the NIC's wire retries until it does
                "--ip",
                "10.0.2.15/24",
                "--count",
                Integer.toString(count),
                "--interval",
                "200",
                "--timeout",
                "1000",
                target);
    }

    private void pingsTheSlirpGateway(String listenerKind) throws Exception {
        int port = startQemu(listenerKind);
        try (JarRun ping = ping(port, "10.0.2.2", 3)) {
            assertThat(ping.awaitExit(RUN)).as(ping.out() + ping.err()).isZero();
            List<String> lines = ping.outLines();
            assertThat(lines.get(0)).isEqualTo("PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.");
            assertThat(lines.stream().filter(l -> REPLY.matcher(l).matches())).hasSize(3);
            assertThat(lines).anyMatch(l -> l.startsWith("3 packets transmitted, 3 received, 0% packet loss, time "));
            assertThat(lines).anyMatch(l -> l.startsWith("rtt min/avg/max/mdev = "));
        }
        assertThat(qemu.isAlive()).as("QEMU kept running").isTrue();
    }

    @Test
    void pingsQemusSlirpGatewayThroughANetdevStreamListener() throws Exception {
        pingsTheSlirpGateway("stream");
    }

    @Test
    void pingsQemusSlirpGatewayThroughANetdevSocketListener() throws Exception {
        pingsTheSlirpGateway("socket");
    }

    @Test
    void anAddressSlirpDoesNotAnswerForExitsOne() throws Exception {
        int port = startQemu("stream");
        try (JarRun ping = ping(port, "10.0.2.99", 2)) {
            assertThat(ping.awaitExit(RUN)).as(ping.out() + ping.err()).isEqualTo(1);
            assertThat(ping.outLines())
                    .anyMatch(l -> l.startsWith("2 packets transmitted, 0 received, 100% packet loss"));
        }
    }

    private static String findQemu() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "qemu-system-x86_64");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** A port the kernel just handed out (QEMU needs a number; port 0 would not tell us which it took). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
