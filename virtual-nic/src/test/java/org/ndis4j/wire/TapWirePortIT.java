package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TAP wire against the Linux kernel: frames both ways, counters, a refused frame, close. The TAP
 * is opened here, then moved into a network namespace this test makes (10.9.1.1/24 there, nowhere
 * else) and deletes afterwards, pass or fail. Needs root, /dev/net/tun and {@code ip}; without them it
 * says so loudly and is skipped (CI has them).
 */
class TapWirePortIT {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String IP = Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "ip";
    static final long STATION = 0x024e_4400_0902L;

    private String namespace;
    private String tap;
    private TapWirePort port;
    private final RecordingListener device = new RecordingListener();

    @BeforeEach
    void tapInANamespace() throws Exception {
        boolean root = run("id", "-u").trim().equals("0");
        Assumptions.assumeTrue(
                root && Files.exists(Path.of("/dev/net/tun")) && TapWirePort.isSupported(),
                "SKIPPED LOUDLY: TapWirePortIT needs root, /dev/net/tun and ip (CI runs as root with them)");
        namespace = "ndis4j-it-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        tap = "n4j" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        run(IP, "netns", "add", namespace);
        port = TapWirePort.open(tap);
        port.attach(device);
        run(IP, "link", "set", tap, "netns", namespace); // the descriptor follows the device
        run(IP, "-n", namespace, "addr", "add", "10.9.1.1/24", "dev", tap);
        run(IP, "-n", namespace, "link", "set", tap, "up");
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        try {
            if (port != null) {
                port.close();
            }
        } finally {
            if (namespace != null) {
                run(IP, "netns", "delete", namespace);
                assertThat(run(IP, "netns", "list")).doesNotContain(namespace);
            }
        }
    }

    @Test
    void linuxsFramesArriveWholeAndOursReachLinux() throws Exception {
        device.awaitCarrier(true, WAIT);
        // Linux resolves 10.9.1.2: its ARP request comes out of the TAP as one whole frame.
        Process arp = new ProcessBuilder(IP, "netns", "exec", namespace, "bash", "-c", "echo > /dev/udp/10.9.1.2/9")
                .redirectErrorStream(true)
                .start();
        byte[] request = awaitArpRequest();
        assertThat(request).hasSize(42); // an ARP request, not padded: Linux pads only on real NICs
        assertThat(arp.waitFor(30, TimeUnit.SECONDS)).isTrue();

        long before = rxPackets();
        for (int i = 0; i < 5; i++) {
            assertThat(port.send(frame(60))).isTrue();
        }
        port.flush();
        Await.until("Linux counts the 5 frames", WAIT, () -> rxPackets() - before >= 5);
        TrafficStatistics s = port.statistics();
        assertThat(s.txFrames()).isEqualTo(5);
        assertThat(s.txBytes()).isEqualTo(5 * 60);
        assertThat(s.rxFrames()).isGreaterThanOrEqualTo(1);
        assertThat(s.totalDrops()).isZero();
    }

    @Test
    void aFrameLinuxRefusesIsCountedAndTheNextPasses() throws Exception {
        device.awaitCarrier(true, WAIT);
        run(IP, "-n", namespace, "link", "set", tap, "down");
        assertThat(port.send(frame(60))).isTrue(); // queued; the kernel refuses it (EIO)
        port.flush();
        Await.until("the refused frame counted", WAIT, () -> port.statistics().drops(DropReason.CARRIER_DOWN) == 1);
        assertThat(port.isCarrierUp()).isTrue();

        run(IP, "-n", namespace, "link", "set", tap, "up");
        long before = rxPackets();
        assertThat(port.send(frame(1514))).isTrue();
        port.flush();
        Await.until("Linux counts the next frame", WAIT, () -> rxPackets() - before >= 1);
        assertThat(port.statistics().txFrames()).isEqualTo(1);
    }

    @Test
    void framesOutsideEthernetsLimitsAreDroppedAsMalformed() throws Exception {
        device.awaitCarrier(true, WAIT);
        assertThat(port.send(frame(13))).isTrue();
        assertThat(port.send(frame(EthernetFrames.DEFAULT_MAX_FRAME_LENGTH + 1)))
                .isTrue();
        port.flush();
        Await.until("two malformed frames", WAIT, () -> port.statistics().drops(DropReason.MALFORMED) == 2);
        assertThat(port.statistics().txFrames()).isZero();
    }

    @Test
    void closeTakesTheTapAwayAndTheCarrierDown() throws Exception {
        device.awaitCarrier(true, WAIT);
        port.close();
        device.awaitCarrier(false, WAIT);
        assertThat(port.send(frame(60))).isFalse();
        assertThat(port.statistics().drops(DropReason.CARRIER_DOWN)).isEqualTo(1);
        // The TAP existed only while its descriptor was open.
        Await.until("the TAP gone", WAIT, () -> !quietly(IP, "-n", namespace, "link", "show", tap));
    }

    @Test
    void aBadNameIsOneLine() {
        assertThatThrownBy(() -> TapWirePort.open("a-name-far-too-long"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interface name 'a-name-far-too-long' must be 1..15 bytes long");
        assertThatThrownBy(() -> TapWirePort.open("../x"))
                .hasMessage("interface name '../x' may not be . or .. or contain '/', ':' or white space");
    }

    private byte[] awaitArpRequest() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] f = device.awaitFrame(WAIT);
            if ((f[12] & 0xff) == 0x08 && (f[13] & 0xff) == 0x06 && f[21] == 1) {
                return f;
            }
        }
        throw new AssertionError("no ARP request from Linux");
    }

    /** A broadcast frame of {@code length} bytes from {@link #STATION}, EtherType 0x88b5 (local experimental). */
    private static ByteBuf frame(int length) {
        ByteBuf f = Unpooled.directBuffer(length);
        f.writeLong(0xffff_ffff_ffffL << 16); // destination, then 2 bytes of the source
        f.setShort(6, (int) (STATION >>> 32));
        f.writerIndex(8);
        f.writeInt((int) STATION);
        if (length >= 14) {
            f.writeShort(0x88b5);
        }
        f.writeZero(Math.max(0, length - f.writerIndex()));
        f.writerIndex(length);
        return f;
    }

    private long rxPackets() {
        try {
            return Long.parseLong(
                    run(IP, "netns", "exec", namespace, "cat", "/sys/class/net/" + tap + "/statistics/rx_packets")
                            .trim());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean quietly(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
