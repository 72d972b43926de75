package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.tools.pcap.CaptureReader;
import org.ndis4j.tools.pcap.CapturedFrame;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.VirtualSwitch;
import org.ndis4j.wire.WirePeer;

/**
 * {@code ndis4j inject} and {@code ndis4j capture} against files Wireshark's own tools write
 * (text2pcap: pcap and pcapng; editcap: nanosecond pcap; tshark -w: pcapng), through a real switch:
 * capture runs as a process on the switch's mirror, inject replays each file into a switch port, and
 * the capture holds every frame byte for byte, as tshark reads it too. The capture (a big-endian
 * nanosecond pcap) is then replayed itself.
 */
class CaptureInjectIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path dir;

    /** Three frames: a broadcast ARP request (60 bytes), a full-size frame, a 64-byte one, to unknown stations (EtherType 88b5, local experimental). */
    static List<byte[]> frames() {
        byte[] arp = hex("ffffffffffff020000000001080600010800060400010200000000010a000001" + "0000000000000a000002"
                + "00".repeat(18)); // padded to 60
        byte[] big = new byte[1514];
        byte[] small = new byte[64];
        for (byte[] f : List.of(big, small)) {
            System.arraycopy(hex("02000000009902000000000188b5"), 0, f, 0, 14);
            for (int i = 14; i < f.length; i++) {
                f[i] = (byte) (i * 7 + f.length);
            }
        }
        return List.of(arp, big, small);
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** text2pcap's input: an offset, then the bytes in hex, each frame starting again at offset 0. */
    private static String hexDump(List<byte[]> frames) {
        StringBuilder text = new StringBuilder();
        for (byte[] f : frames) {
            for (int at = 0; at < f.length; at += 16) {
                text.append(String.format("%06x ", at));
                for (int i = at; i < Math.min(f.length, at + 16); i++) {
                    text.append(String.format(" %02x", f[i]));
                }
                text.append('\n');
            }
        }
        return text.toString();
    }

    static List<byte[]> read(Path file) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(file)) {
            for (CapturedFrame f; (f = reader.next()) != null; ) {
                frames.add(f.data());
            }
        }
        return frames;
    }

    /** The files Wireshark's tools write from the same three frames. */
    private List<Path> wiresharkFiles() throws Exception {
        Path text = Files.writeString(dir.resolve("frames.txt"), hexDump(frames()));
        Path pcap = dir.resolve("text2pcap.pcap");
        Path pcapng = dir.resolve("text2pcap.pcapng");
        Path nanos = dir.resolve("editcap-nsec.pcap");
        Path tshark = dir.resolve("tshark.pcapng");
        WiresharkTools.run("text2pcap", "-F", "pcap", text.toString(), pcap.toString());
        WiresharkTools.run("text2pcap", text.toString(), pcapng.toString()); // pcapng by default
        WiresharkTools.run("editcap", "-F", "nsecpcap", pcap.toString(), nanos.toString());
        WiresharkTools.run("tshark", "-r", pcapng.toString(), "-w", tshark.toString());
        return List.of(pcap, pcapng, nanos, tshark);
    }

    @Test
    void wiresharksFilesAreReadFrameForFrame() throws Exception {
        for (Path file : wiresharkFiles()) {
            assertThat(read(file)).as(file.getFileName().toString()).containsExactlyElementsOf(frames());
        }
    }

    @Test
    void injectedFilesReachTheSwitchAndCaptureOnItsMirrorWritesThem() throws Exception {
        List<Path> files = wiresharkFiles();
        int expected = files.size() * frames().size();
        Path captured = dir.resolve("mirror.pcap");
        try (VirtualSwitch sw = VirtualSwitch.start(LOOPBACK, SwitchOptions.DEFAULTS.withMirror(LOOPBACK));
                JarRun capture = JarRun.start(
                        dir,
                        "capture",
                        "--wire",
                        "connect:127.0.0.1:" + sw.mirrorAddress().getPort(),
                        "--out",
                        captured.toString(),
                        "--count",
                        Integer.toString(expected))) {
            capture.awaitErr(Pattern.compile("(capturing from)"), WAIT);
            Await.until(
                    "the mirror session", WAIT, () -> sw.statistics().mirrors().size() == 1);
            for (Path file : files) {
                CommandRun inject = CommandRun.of(
                        "inject",
                        "--wire",
                        "connect:127.0.0.1:" + sw.localAddress().getPort(),
                        "--pcap",
                        file.toString());
                assertThat(inject.status()).as(inject.err()).isZero();
                assertThat(inject.out()).contains("ndis4j inject: 3 frames (1638 bytes) from " + file);
            }
            assertThat(capture.awaitExit(WAIT)).as(capture.err()).isZero();
            assertThat(capture.out()).contains(expected + " frames written to " + captured);
        }
        assertThat(read(captured))
                .containsExactlyElementsOf(Collections.nCopies(files.size(), frames()).stream()
                        .flatMap(List::stream)
                        .toList());
        assertThat(WiresharkTools.run("tshark", "-r", captured.toString())).hasSize(expected);
        assertThat(WiresharkTools.run("tshark", "-r", captured.toString(), "-Y", "_ws.malformed"))
                .isEmpty();
        assertThat(WiresharkTools.run("tshark", "-r", captured.toString(), "-Y", "arp.dst.proto_ipv4 == 10.0.0.2"))
                .hasSize(files.size());

        // ndis4j's own capture (big-endian, nanoseconds) replays too, here to a peer that listens.
        try (WirePeer peer = WirePeer.listen(LOOPBACK)) {
            CommandRun again = CommandRun.of(
                    "inject",
                    "--wire",
                    "connect:127.0.0.1:" + peer.localAddress().getPort(),
                    "--pcap",
                    captured.toString());
            assertThat(again.status()).as(again.err()).isZero();
            assertThat(again.out()).contains("(pcap (big-endian, ns))");
            for (int i = 0; i < expected; i++) {
                assertThat(peer.awaitFrame("frame " + i, f -> true).bytes()).isEqualTo(frames().get(i % 3));
            }
        }
    }

    @Test
    void injectListensForOnePeerWhenAskedTo() throws Exception {
        Path pcapng = wiresharkFiles().get(1);
        try (JarRun inject = JarRun.start(dir, "inject", "--wire", "listen:127.0.0.1:0", "--pcap", pcapng.toString())) {
            int port = Integer.parseInt(inject.awaitErr(Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)"), WAIT));
            try (WirePeer peer = WirePeer.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                for (byte[] expected : frames()) {
                    assertThat(peer.awaitFrame("a frame", f -> true).bytes()).isEqualTo(expected);
                }
                assertThat(inject.awaitExit(WAIT)).as(inject.err()).isZero();
            }
        }
    }
}
