package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.wire.TestFrames.*;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LeakCheck.class)
class PcapWriterTest {

    @TempDir
    Path dir;

    /** A pcap file parsed back: the frames and their timestamps (ns). */
    record Parsed(int snaplen, List<byte[]> frames, List<Long> origLengths, List<Long> stamps) {
        static Parsed read(Path file) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
            assertThat(b.getInt()).isEqualTo(PcapWriter.MAGIC_NANOS);
            assertThat(b.getShort()).isEqualTo((short) 2);
            assertThat(b.getShort()).isEqualTo((short) 4);
            assertThat(b.getInt()).isZero();
            assertThat(b.getInt()).isZero();
            int snaplen = b.getInt();
            assertThat(b.getInt()).isEqualTo(PcapWriter.LINKTYPE_ETHERNET);
            List<byte[]> frames = new ArrayList<>();
            List<Long> orig = new ArrayList<>();
            List<Long> stamps = new ArrayList<>();
            while (b.hasRemaining()) {
                long sec = Integer.toUnsignedLong(b.getInt());
                long nsec = Integer.toUnsignedLong(b.getInt());
                int incl = b.getInt();
                orig.add(Integer.toUnsignedLong(b.getInt()));
                byte[] f = new byte[incl];
                b.get(f);
                frames.add(f);
                stamps.add(sec * 1_000_000_000L + nsec);
            }
            return new Parsed(snaplen, frames, orig, stamps);
        }
    }

    @Test
    void writesAClassicPcapThatParsesBack() throws IOException {
        Path file = dir.resolve("t.pcap");
        List<byte[]> frames = new ArrayList<>();
        try (PcapWriter w = PcapWriter.open(file, PcapWriter.DEFAULT_SNAPLEN)) {
            for (int i = 0; i < 3000; i++) { // several blocks' worth
                byte[] f = ethernet(mac(2), mac(1), 60 + i % 1400, i);
                frames.add(f);
                ByteBuf b = buf(wire(f));
                assertThat(w.write(b, 4, f.length, 1_700_000_000_123_456_789L + i))
                        .isTrue();
                b.release();
            }
        }
        Parsed p = Parsed.read(file);
        assertThat(p.snaplen()).isEqualTo(PcapWriter.DEFAULT_SNAPLEN);
        assertThat(p.frames()).hasSize(3000);
        for (int i = 0; i < 3000; i++) {
            assertThat(p.frames().get(i)).isEqualTo(frames.get(i));
            assertThat(p.stamps().get(i)).isEqualTo(1_700_000_000_123_456_789L + i);
        }
    }

    @Test
    void truncatesToTheSnaplenAndKeepsTheOriginalLength() throws IOException {
        Path file = dir.resolve("snap.pcap");
        byte[] f = ethernet(mac(2), mac(1), 200, 0);
        try (PcapWriter w = PcapWriter.open(file, 64)) {
            ByteBuf b = buf(f);
            w.write(b, 0, f.length);
            b.release();
        }
        Parsed p = Parsed.read(file);
        assertThat(p.frames().get(0)).isEqualTo(Arrays.copyOf(f, 64));
        assertThat(p.origLengths().get(0)).isEqualTo(200L);
    }

    @Test
    void tsharkReadsTheFile() throws Exception {
        boolean found = Files.isExecutable(Path.of("/usr/bin/tshark")) || onPath("tshark");
        if (!found) {
            System.err.println("*** PcapWriterTest: tshark NOT FOUND - the tshark cross-check is SKIPPED."
                    + " Install it (Debian: apt-get install tshark) to run it. ***");
        }
        Assumptions.assumeTrue(found, "tshark is not installed: the tshark cross-check of the pcap file is skipped");
        Path file = dir.resolve("ts.pcap");
        try (PcapWriter w = PcapWriter.open(file, PcapWriter.DEFAULT_SNAPLEN)) {
            for (int i = 0; i < 5; i++) {
                ByteBuf b = buf(ethernet(BROADCAST, mac(0x11), 60, i));
                w.write(b, 0, 60);
                b.release();
            }
        }
        Process p = new ProcessBuilder(
                        "tshark",
                        "-r",
                        file.toString(),
                        "-T",
                        "fields",
                        "-e",
                        "eth.src",
                        "-e",
                        "eth.dst",
                        "-e",
                        "frame.len")
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("tshark exit status, output: %s", out).isZero();
        List<String> lines =
                out.lines().filter(l -> l.contains("02:00:00:00:00:11")).toList();
        assertThat(lines)
                .as(out)
                .hasSize(5)
                .allSatisfy(l -> assertThat(l).isEqualTo("02:00:00:00:00:11\tff:ff:ff:ff:ff:ff\t60"));
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null
                && Arrays.stream(path.split(java.io.File.pathSeparator))
                        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
