package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.tools.Peer.BROADCAST;
import static org.ndis4j.tools.Peer.frame;
import static org.ndis4j.tools.Peer.mac;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code ndis4j switch} as a user runs it: the jar, real loopback sockets, its output, SIGTERM. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SwitchCommandIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static Peer plug(InetSocketAddress at, Control control, int number) throws Exception {
        Peer p = new Peer(at, mac(number));
        Await.until("port " + number + " connected", WAIT, () -> {
            JsonNode port = control.port(number);
            return port != null && port.get("connected").asBoolean();
        });
        return p;
    }

    @Test
    void theMirrorGetsEveryForwardedFrameAsTheSendersSentThem() throws Exception {
        try (SwitchProcess sw =
                SwitchProcess.start("--listen", "127.0.0.1:0", "--mirror", "127.0.0.1:0", "--control", "127.0.0.1:0")) {
            Control control = sw.control();
            List<byte[]> mirrored = Collections.synchronizedList(new ArrayList<>());
            Peer mirror = new Peer(sw.mirror(), 0).startReading(mirrored::add);
            Await.until(
                    "the mirror session",
                    WAIT,
                    () -> control.get("/mirrors").get("mirrors").size() == 1);
            Peer a = plug(sw.listen(), control, 1).startReading(f -> {});
            Peer b = plug(sw.listen(), control, 2).startReading(f -> {});
            List<byte[]> fromA = new ArrayList<>();
            List<byte[]> fromB = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                byte[] f = frame(i % 3 == 0 ? BROADCAST : mac(2), mac(1), 60 + i % 1400, i);
                fromA.add(f);
                a.send(f);
                byte[] g = frame(mac(1), mac(2), 1514, i);
                fromB.add(g);
                b.send(g);
            }
            Await.until("the mirror has every forwarded frame", WAIT, () -> mirrored.size() >= 1000);
            List<byte[]> mirroredFromA = new ArrayList<>();
            List<byte[]> mirroredFromB = new ArrayList<>();
            synchronized (mirrored) {
                for (byte[] f : mirrored) {
                    (ByteBuffer.wrap(f).getLong(6) >>> 16 == mac(1) ? mirroredFromA : mirroredFromB).add(f);
                }
            }
            assertThat(mirroredFromA).as("A's frames, as A sent them").containsExactlyElementsOf(fromA);
            assertThat(mirroredFromB).as("B's frames, as B sent them").containsExactlyElementsOf(fromB);
            JsonNode session = control.get("/mirrors").get("mirrors").get(0);
            assertThat(session.get("tx").get("frames").asLong()).isEqualTo(1000);
            assertThat(session.get("drops").get("backpressure").asLong()).isZero();
            mirror.close();
            a.close();
            b.close();
        }
    }

    @Test
    void finalCountersComeAfterEveryPortClosedAndTheCaptureIsFlushed() throws Exception {
        Path pcap = dir.resolve("final.pcap");
        try (SwitchProcess sw = SwitchProcess.start(
                "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0", "--capture", pcap.toString())) {
            Control control = sw.control();
            Peer a = plug(sw.listen(), control, 1).startReading(f -> {});
            Peer b = plug(sw.listen(), control, 2).startReading(f -> {});
            b.send(frame(BROADCAST, mac(2), 60, 0));
            Await.until("A heard B", WAIT, () -> a.received() == 1);
            Thread blast = new Thread(() -> {
                try {
                    for (int i = 0; ; i++) {
                        a.send(frame(mac(2), mac(1), 1000, i));
                    }
                } catch (IOException closedBySwitch) {
                    // the switch stopped: the blast ends
                }
            });
            blast.start();
            Await.until("frames flowing", WAIT, () -> b.received() > 1000);
            assertThat(sw.stop()).as("exit status after SIGTERM").isEqualTo(ExitCode.SUCCESS.code());
            blast.join(WAIT.toMillis());
            assertThat(b.awaitEnd(WAIT.toMillis())).as("B saw the switch close").isTrue();
            List<String> out = sw.out();
            int finalLine = out.indexOf("final counters (every port closed):");
            assertThat(finalLine).as("stdout: %s; stderr: %s", out, sw.err()).isNotNegative();
            String portB = out.stream()
                    .skip(finalLine)
                    .filter(l -> l.startsWith("  port 2 "))
                    .findFirst()
                    .orElseThrow();
            assertThat(portB).contains("(no peer)");
            assertThat(portB).as("B's final tx = what B read").contains("tx " + b.received() + " frames/");
            String captureLine = out.stream()
                    .filter(l -> l.startsWith("capture " + pcap + ": "))
                    .findFirst()
                    .orElseThrow();
            long written = Long.parseLong(captureLine.replaceAll(".*: (\\d+) frames written.*", "$1"));
            assertThat(pcapRecords(pcap))
                    .as("records in the file = frames the final line reports")
                    .isEqualTo(written);
        }
    }

    /** Counts the records of a classic pcap file (a 24-byte header, then 16-byte record headers). */
    private static long pcapRecords(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        assertThat(b.getInt(0)).isEqualTo(0xa1b23c4d);
        b.position(24);
        long n = 0;
        while (b.remaining() >= 16) {
            int incl = b.getInt(b.position() + 8);
            b.position(b.position() + 16 + incl);
            n++;
        }
        assertThat(b.remaining()).as("no partial record at the end").isZero();
        return n;
    }

    @Test
    void forceReplacesAnExistingCaptureFile() throws Exception {
        Path pcap = Files.writeString(dir.resolve("old.pcap"), "old contents");
        try (SwitchProcess sw = SwitchProcess.start(
                "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0", "--capture", pcap.toString(), "--force")) {
            Control control = sw.control();
            Peer a = plug(sw.listen(), control, 1);
            a.send(frame(BROADCAST, mac(1), 60, 1));
            Await.until(
                    "the frame received",
                    WAIT,
                    () -> control.port(1).get("rx").get("frames").asLong() == 1);
            assertThat(sw.stop()).isEqualTo(ExitCode.SUCCESS.code());
            a.close();
        }
        assertThat(pcapRecords(pcap)).isEqualTo(1);
    }

    @Test
    void aCaptureThatFailsMidRunIsLoggedOnceCountedAndSwitchingGoesOn() throws Exception {
        // /dev/full takes the open and fails every write with ENOSPC: a disk that fills up mid-run.
        try (SwitchProcess sw = SwitchProcess.start(
                "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0", "--capture", "/dev/full", "--force")) {
            Control control = sw.control();
            Peer a = plug(sw.listen(), control, 1);
            Peer b = plug(sw.listen(), control, 2).startReading(f -> {});
            for (int i = 0; i < 2000; i++) {
                a.send(frame(BROADCAST, mac(1), 1000, i));
            }
            Await.until("B got every frame", WAIT, () -> b.received() == 2000);
            Await.until(
                    "the health shows the stopped capture",
                    WAIT,
                    () -> control.get("/health").get("status").asString().equals("degraded"));
            JsonNode health = control.get("/health");
            assertThat(health.get("problems").get(0).asString()).isEqualTo("capture stopped: No space left on device");
            assertThat(health.get("capture").get("framesMissed").asLong()).isPositive();
            assertThat(sw.stop()).isEqualTo(ExitCode.SUCCESS.code());
            assertThat(sw.err().stream().filter(l -> l.contains("capture to /dev/full failed")))
                    .as("logged once")
                    .hasSize(1);
            assertThat(sw.out())
                    .anyMatch(
                            l -> l.matches(
                                    "capture /dev/full: \\d+ frames written, [1-9]\\d* missed \\(stopped: No space left on device\\)"));
            a.close();
            b.close();
        }
    }

    @Test
    void anyIpv4AddressIsIpv4OnlyAndSaysWhoCanReachIt() throws Exception {
        try (SwitchProcess sw = SwitchProcess.start("--listen", "0.0.0.0:0", "--stats-interval", "0")) {
            InetSocketAddress at = sw.listen();
            assertThat(sw.out().get(0)).startsWith("ndis4j switch listening on 0.0.0.0:");
            sw.awaitErr(
                    Pattern.compile(
                            "^ndis4j switch: warning: the switch listens on 0\\.0\\.0\\.0:\\d+, every IPv4 address"
                                    + " of this host: any host that can reach this machine can plug into it"),
                    WAIT);
            try (Socket v4 = new Socket(InetAddress.getByName("127.0.0.1"), at.getPort())) {
                assertThat(v4.isConnected()).isTrue();
            }
            assertRefused(InetAddress.getByName("::1"), at.getPort());
        }
    }

    @Test
    void anyIpv6AddressIsIpv6OnlyAndPrintedInBrackets() throws Exception {
        try (SwitchProcess sw = SwitchProcess.start("--listen", "[::]:0", "--stats-interval", "0")) {
            InetSocketAddress at = sw.listen();
            assertThat(sw.out().get(0)).matches("ndis4j switch listening on \\[::]:\\d+ \\(Ctrl-C stops\\)");
            sw.awaitErr(Pattern.compile("every IPv6 address of this host"), WAIT);
            try (Socket v6 = new Socket(InetAddress.getByName("::1"), at.getPort())) {
                assertThat(v6.isConnected()).isTrue();
            }
            assertRefused(InetAddress.getByName("127.0.0.1"), at.getPort());
        }
    }

    @Test
    void loopbackIpv6IsPrintedSoItCanBePastedBack() throws Exception {
        try (SwitchProcess sw = SwitchProcess.start("--listen", "[::1]:0", "--stats-interval", "0")) {
            assertThat(sw.out().get(0)).matches("ndis4j switch listening on \\[::1]:\\d+ \\(Ctrl-C stops\\)");
            assertThat(sw.err()).noneMatch(l -> l.contains("warning"));
            try (Socket pasted = new Socket()) {
                pasted.connect(sw.listen(), 10_000); // the printed form, parsed by --listen's own parser
                assertThat(pasted.isConnected()).isTrue();
            }
        }
    }

    private static void assertRefused(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 10_000);
            throw new AssertionError("connected to " + address + " port " + port + " through the other family");
        } catch (ConnectException refused) {
            // as it should be
        } catch (IOException other) {
            throw new AssertionError("expected connection refused, got " + other, other);
        }
    }

    @Test
    void connectionsAreLoggedAtDebugOnlyAndStatisticsShowLivePortsOnly() throws Exception {
        try (SwitchProcess sw = SwitchProcess.start("--listen", "127.0.0.1:0", "--stats-interval", "0.2")) {
            Peer live = new Peer(sw.listen(), mac(1));
            for (int i = 0; i < 30; i++) {
                try (Socket s = new Socket()) {
                    s.connect(sw.listen(), 10_000);
                }
            }
            live.send(frame(BROADCAST, mac(1), 60, 0));
            // A statistics block printed after all 30 came and went lists the one live port only.
            String block = awaitStatisticsAfter(sw, 1);
            assertThat(block).as(block).contains("1 ports connected");
            assertThat(block.lines().filter(l -> l.startsWith("  port "))).hasSize(1);
            assertThat(sw.err()).as("per-connection lines at INFO or above").isEmpty();
            live.close();
        }
        try (SwitchProcess verbose = SwitchProcess.start("--listen", "127.0.0.1:0", "--stats-interval", "0", "-v")) {
            try (Socket s = new Socket()) {
                s.connect(verbose.listen(), 10_000);
            }
            verbose.awaitErr(Pattern.compile("\\[DEBUG\\].*plugged into port 1"), WAIT);
        }
    }

    /** The first statistics block that shows {@code live} connected ports and the frame sent. */
    private static String awaitStatisticsAfter(SwitchProcess sw, int live) throws Exception {
        String[] found = {null};
        Await.until("a statistics block with " + live + " live port and its frame", WAIT, () -> {
            List<String> out = sw.out();
            for (int i = out.size() - 1; i >= 0; i--) {
                if (out.get(i).startsWith("after ")) {
                    StringBuilder block = new StringBuilder(out.get(i)).append('\n');
                    for (int j = i + 1; j < out.size() && out.get(j).startsWith("  "); j++) {
                        block.append(out.get(j)).append('\n');
                    }
                    if (block.toString().contains(live + " ports connected")
                            && block.toString().contains("rx 1 frames")) {
                        found[0] = block.toString();
                        return true;
                    }
                    return false;
                }
            }
            return false;
        });
        return found[0];
    }

    @Test
    void beyondMaxPortsAConnectionIsClosedLoggedAndCounted() throws Exception {
        try (SwitchProcess sw =
                SwitchProcess.start("--listen", "127.0.0.1:0", "--control", "127.0.0.1:0", "--max-ports", "2")) {
            Control control = sw.control();
            Peer a = plug(sw.listen(), control, 1);
            Peer b = plug(sw.listen(), control, 2);
            Peer c = new Peer(sw.listen(), mac(3)).startReading(f -> {});
            assertThat(c.awaitEnd(WAIT.toMillis()))
                    .as("the third connection is closed")
                    .isTrue();
            assertThat(control.get("/ports").get("refusedConnections").asLong()).isEqualTo(1);
            sw.awaitErr(Pattern.compile("refused: 2 ports are connected, the most allowed"), WAIT);
            a.close();
            b.close();
        }
    }

    @Test
    void aFrameThatStopsHalfWayIsClosedAfterThePartialFrameTimeout() throws Exception {
        try (SwitchProcess sw = SwitchProcess.start(
                "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0", "--partial-frame-timeout", "0.3")) {
            Control control = sw.control();
            Peer slow = plug(sw.listen(), control, 1).startReading(f -> {});
            slow.sendRaw(Arrays.copyOf(Peer.wire(frame(BROADCAST, mac(1), 1000, 0)), 100));
            assertThat(slow.awaitEnd(WAIT.toMillis()))
                    .as("closed for a stalled frame")
                    .isTrue();
            Await.until(
                    "the stall counted",
                    WAIT,
                    () -> control.get("/ports")
                                    .get("departed")
                                    .get("errors")
                                    .get("stalled")
                                    .asLong()
                            == 1);
        }
    }

    @Test
    void anIdlePortIsClosedAfterTheIdleTimeout() throws Exception {
        try (SwitchProcess sw =
                SwitchProcess.start("--listen", "127.0.0.1:0", "--control", "127.0.0.1:0", "--idle-timeout", "0.5")) {
            Control control = sw.control();
            // Not waiting to see it connected: on a busy machine the timeout may beat the look.
            Peer idle = new Peer(sw.listen(), mac(1)).startReading(f -> {});
            assertThat(idle.awaitEnd(WAIT.toMillis())).as("closed for idleness").isTrue();
            Await.until(
                    "the idle close counted",
                    WAIT,
                    () -> control.get("/ports").get("idleClosed").asLong() == 1);
            assertThat(control.get("/ports")
                            .get("departed")
                            .get("errors")
                            .get("stalled")
                            .asLong())
                    .isZero();
        }
    }

    @Test
    void theControlEndpointAnswersInJsonAndRefusesWhatItDoesNotServe() throws Exception {
        try (SwitchProcess sw = SwitchProcess.start("--listen", "127.0.0.1:0", "--control", "127.0.0.1:0")) {
            Control control = sw.control();
            JsonNode routes = control.get("/");
            assertThat(routes.findValuesAsString("path"))
                    .contains("/health", "/ports", "/ports/{n}", "/ports/{n}/down", "/ports/{n}/up", "/mirrors");
            JsonNode health = control.get("/health");
            assertThat(health.get("status").asString()).isEqualTo("ok");
            assertThat(SwitchProcess.address(health.get("listen").asString())).isEqualTo(sw.listen());
            assertThat(control.send("GET", "/nonsense", 404).get("error").asString())
                    .isEqualTo("no such resource: /nonsense");
            assertThat(control.send("DELETE", "/ports", 405).get("error").asString())
                    .isEqualTo("/ports takes GET");
            assertThat(control.send("POST", "/ports/0/down", 400).get("error").asString())
                    .isEqualTo("n must be a number in 1..65535, not '0'");
            assertThat(control.send("GET", "/ports/7", 404).get("error").asString())
                    .contains("port 7 has no connection");
        }
    }
}
