package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.testing.Frame;
import org.ndis4j.tools.pcap.CaptureBytes;
import org.ndis4j.tools.pcap.CaptureReader;
import org.ndis4j.tools.pcap.CapturedFrame;
import org.ndis4j.wire.TcpWirePort;
import org.ndis4j.wire.WirePeer;

/**
 * {@code ndis4j inject} and {@code ndis4j capture} run in this JVM as {@code main} runs them, over
 * real loopback sockets: what arrives is byte for byte what the file held, and each error case is
 * its exit status and one line.
 */
class InjectCaptureCommandTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final byte[] A = CaptureBytes.frame(60, 1);
    private static final byte[] B = CaptureBytes.frame(1514, 7);
    private static final byte[] C = CaptureBytes.frame(61, 9);

    @TempDir
    Path dir;

    private Path pcapng() throws IOException {
        return Files.write(
                dir.resolve("three.pcapng"),
                new CaptureBytes(ByteOrder.BIG_ENDIAN)
                        .sectionHeader()
                        .interfaceDescription(1, 0, -1)
                        .enhancedPacket(0, 1, A)
                        .simplePacket(B)
                        .otherBlock()
                        .enhancedPacket(0, 2, C)
                        .toByteArray());
    }

    /**
     * The status, and the error as the last stderr line with no stack trace. Status lines may come
     * before it (capturing from ..., and the wire's log where an earlier test in this JVM made its
     * loggers before the command could quiet them; run as a process, it is quiet).
     */
    private static void assertOneLine(CommandRun run, ExitCode status, String line) {
        assertThat(run.status()).as("exit status; stderr: %s", run.err()).isEqualTo(status.code());
        assertThat(run.errLines()).as("stderr").last().isEqualTo(line);
        assertThat(run.errLines())
                .as("stderr")
                .filteredOn(l -> l.startsWith("ndis4j ") && !l.contains(" capturing from "))
                .hasSize(1);
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void injectSendsEveryFrameOfTheFileInOrderLoopTimesOver() throws Exception {
        Path file = pcapng();
        try (WirePeer peer = WirePeer.listen(ANY_LOOPBACK)) {
            CommandRun run = CommandRun.of(
                    "inject",
                    "--wire",
                    "connect:127.0.0.1:" + peer.localAddress().getPort(),
                    "--pcap",
                    file.toString(),
                    "--loop",
                    "2",
                    "--rate",
                    "2000");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out())
                    .contains("ndis4j inject: 6 frames (3270 bytes) from " + file + " (pcapng (big-endian)), 2 times");
            List<byte[]> got = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Frame f = peer.awaitFrame("frame " + i, x -> true);
                got.add(f.bytes());
            }
            assertThat(got).containsExactly(A, B, C, A, B, C);
        }
    }

    @Test
    void captureWritesWhatTheWireCarriesUntilTheCount() throws Exception {
        Path out = dir.resolve("out.pcap");
        try (WirePeer peer = WirePeer.listen(ANY_LOOPBACK)) {
            String wire = "connect:127.0.0.1:" + peer.localAddress().getPort();
            CompletableFuture<CommandRun> capture = CompletableFuture.supplyAsync(
                    () -> CommandRun.of("capture", "--wire", wire, "--out", out.toString(), "--count", "3"));
            Await.until(
                    "capture connected",
                    Duration.ofSeconds(10),
                    () -> peer.port().isCarrierUp());
            for (byte[] f : List.of(A, B, C, A)) {
                peer.send(f);
            }
            CommandRun run = capture.get();
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).contains("ndis4j capture: 3 frames written to " + out);
        }
        List<byte[]> frames = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(out)) {
            for (CapturedFrame f; (f = reader.next()) != null; ) {
                frames.add(f.data());
            }
        }
        assertThat(frames).containsExactly(A, B, C);
    }

    @Test
    void aMalformedOrMissingFileIsStatusTwoWithTheOffsetAndNothingIsSent() throws Exception {
        try (WirePeer peer = WirePeer.listen(ANY_LOOPBACK)) {
            String wire = "connect:127.0.0.1:" + peer.localAddress().getPort();
            Path gif = Files.write(dir.resolve("picture.pcap"), new byte[] {'G', 'I', 'F', '8', '9', 'a'});
            assertOneLine(
                    CommandRun.of("inject", "--wire", wire, "--pcap", gif.toString()),
                    ExitCode.USAGE,
                    "ndis4j inject: " + gif + ": offset 0: magic number 0x47494638 is neither pcap (a1b2c3d4,"
                            + " a1b23c4d, either byte order) nor pcapng (0a0d0d0a)");
            byte[] whole = Files.readAllBytes(pcapng());
            Path cut = Files.write(dir.resolve("cut.pcapng"), Arrays.copyOf(whole, whole.length - 3));
            assertOneLine(
                    CommandRun.of("inject", "--wire", wire, "--pcap", cut.toString()),
                    ExitCode.USAGE,
                    "ndis4j inject: " + cut + ": offset " + (whole.length - 96)
                            + ": the file ends inside the record or block starting here");
            Path sll = Files.write(
                    dir.resolve("sll.pcap"),
                    CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, 113).toByteArray());
            assertOneLine(
                    CommandRun.of("inject", "--wire", wire, "--pcap", sll.toString()),
                    ExitCode.USAGE,
                    "ndis4j inject: " + sll + ": offset 20: link type 113 is not Ethernet (1); only Ethernet"
                            + " captures are supported");
            Path runt = Files.write(
                    dir.resolve("runt.pcap"),
                    CaptureBytes.pcap(ByteOrder.BIG_ENDIAN, true, 1)
                            .record(0, 0, A)
                            .record(0, 0, new byte[10])
                            .toByteArray());
            assertOneLine(
                    CommandRun.of("inject", "--wire", wire, "--pcap", runt.toString()),
                    ExitCode.USAGE,
                    "ndis4j inject: " + runt + ": offset 100: a frame of 10 bytes; the wire carries 14..9018");
            Path missing = dir.resolve("missing.pcap");
            assertOneLine(
                    CommandRun.of("inject", "--wire", wire, "--pcap", missing.toString()),
                    ExitCode.USAGE,
                    "ndis4j inject: cannot read " + missing + ": No such file");
            assertThat(peer.framesReceived()).as("nothing reached the wire").isZero();
        }
    }

    @Test
    void aPeerThatIsNotThereOrGoesAwayIsStatusOne() throws Exception {
        Path file = pcapng();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertOneLine(
                CommandRun.of("inject", "--wire", "connect:127.0.0.1:" + closedPort, "--pcap", file.toString()),
                ExitCode.FAILURE,
                "ndis4j inject: cannot connect to 127.0.0.1:" + closedPort + ": Connection refused");
        assertOneLine(
                CommandRun.of(
                        "capture",
                        "--wire",
                        "connect:127.0.0.1:" + closedPort,
                        "--out",
                        dir.resolve("never.pcap").toString(),
                        "--link-timeout",
                        "300"),
                ExitCode.FAILURE,
                "ndis4j capture: no connection on connect:127.0.0.1:" + closedPort + " after 300 ms");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> hangUp = CompletableFuture.runAsync(() -> {
                try (Socket accepted = s.accept()) {
                    accepted.getInputStream().readNBytes(100); // take the first frame, then hang up
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            CommandRun run = CommandRun.of(
                    "inject",
                    "--wire",
                    "connect:127.0.0.1:" + s.getLocalPort(),
                    "--pcap",
                    file.toString(),
                    "--loop",
                    "100000000");
            hangUp.get();
            assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.FAILURE.code());
            assertThat(run.errLines())
                    .singleElement()
                    .asString()
                    .startsWith("ndis4j inject: the peer went away after ");
        }
        TcpWirePort listener = TcpWirePort.listen(ANY_LOOPBACK);
        try {
            CompletableFuture<CommandRun> capture = CompletableFuture.supplyAsync(() -> CommandRun.of(
                    "capture",
                    "--wire",
                    "connect:127.0.0.1:" + listener.localAddress().getPort(),
                    "--out",
                    dir.resolve("gone.pcap").toString()));
            Await.until("capture connected", Duration.ofSeconds(10), listener::isCarrierUp);
            listener.close();
            assertOneLine(
                    capture.get(),
                    ExitCode.FAILURE,
                    "ndis4j capture: the peer closed the wire after 0 frames (" + dir.resolve("gone.pcap")
                            + " is complete)");
        } finally {
            listener.close(); // closed twice when the test ran to the hang-up: a no-op
        }
    }

    @Test
    void addressesInUseAndCaptureFilesFollowTheSwitchsRules() throws Exception {
        Path file = pcapng();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertOneLine(
                    CommandRun.of("inject", "--wire", "listen:127.0.0.1:" + port, "--pcap", file.toString()),
                    ExitCode.FAILURE,
                    "ndis4j inject: cannot listen on 127.0.0.1:" + port + ": Address already in use");
            assertOneLine(
                    CommandRun.of(
                            "capture",
                            "--wire",
                            "listen:127.0.0.1:" + port,
                            "--out",
                            dir.resolve("x.pcap").toString()),
                    ExitCode.FAILURE,
                    "ndis4j capture: cannot listen on 127.0.0.1:" + port + ": Address already in use");
            assertThat(dir.resolve("x.pcap")).doesNotExist();
        }
        Path precious = Files.writeString(dir.resolve("precious.txt"), "precious");
        assertOneLine(
                CommandRun.of("capture", "--wire", "listen:127.0.0.1:0", "--out", precious.toString()),
                ExitCode.FAILURE,
                "ndis4j capture: cannot capture to " + precious + ": File exists (--force replaces it)");
        Path link = Files.createSymbolicLink(dir.resolve("link.pcap"), precious);
        assertOneLine(
                CommandRun.of("capture", "--wire", "listen:127.0.0.1:0", "--out", link.toString(), "--force"),
                ExitCode.FAILURE,
                "ndis4j capture: cannot capture to " + link + ": Is a symbolic link (never followed)");
        assertThat(Files.readString(precious)).isEqualTo("precious");
    }

    @Test
    void badValuesAreUsageErrors() throws Exception {
        Path file = pcapng();
        for (String[] args : new String[][] {
            {"inject", "--wire", "connect:127.0.0.1:1", "--pcap", file.toString(), "--rate", "-1"},
            {"inject", "--wire", "connect:127.0.0.1:1", "--pcap", file.toString(), "--loop", "0"},
            {"inject", "--wire", "connect:127.0.0.1:0", "--pcap", file.toString()},
            {"inject", "--pcap", file.toString()},
            {"capture", "--wire", "connect:127.0.0.1:1"},
            {"capture", "--wire", "connect:127.0.0.1:1", "--out", "x.pcap", "--count", "-1"},
        }) {
            CommandRun run = CommandRun.of(args);
            assertThat(run.status())
                    .as(String.join(" ", args) + ": " + run.err())
                    .isEqualTo(ExitCode.USAGE.code());
            assertThat(run.errLines()).as(String.join(" ", args)).hasSize(1);
        }
    }
}
