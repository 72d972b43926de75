package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.wire.TestFrames.buf;
import static org.ndis4j.wire.TestFrames.ethernet;
import static org.ndis4j.wire.TestFrames.mac;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The wire against the real thing: a QEMU process with two listening {@code -netdev stream} ports on
 * one hub relays frames between two {@link TcpWirePort}s. If our framing were not QEMU's, QEMU would
 * drop the connection or deliver garbage. CI installs QEMU (.ci/run); where it is missing this test
 * says so loudly and is skipped.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QemuInteropIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final TcpWireOptions FAST_RECONNECT =
            TcpWireOptions.DEFAULTS.withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));

    private final MultiThreadIoEventLoopGroup group = Transports.newGroup(1);
    private Process qemu;
    private TcpWirePort a;
    private TcpWirePort b;

    @AfterEach
    void stop() throws InterruptedException {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (qemu != null) {
            qemu.destroy();
            if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aQemuHubRelaysOurFramesBothWaysByteForByte() throws Exception {
        String binary = findQemu();
        Assumptions.assumeTrue(
                binary != null,
                "SKIPPED LOUDLY: qemu-system-x86_64 is not installed; CI installs it (apt-get install qemu-system-x86)");
        int portA = freePort();
        int portB = freePort();
        qemu = new ProcessBuilder(
                        binary,
                        "-machine",
                        "none",
                        "-nographic",
                        "-nodefaults",
                        "-netdev",
                        netdev("sa", portA),
                        "-netdev",
                        netdev("sb", portB),
                        "-netdev",
                        "hubport,id=ha,hubid=0,netdev=sa",
                        "-netdev",
                        "hubport,id=hb,hubid=0,netdev=sb")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();

        RecordingListener atA = new RecordingListener();
        RecordingListener atB = new RecordingListener();
        // QEMU listens once it has started: the client ports retry until it does.
        a = TcpWirePort.connect(new InetSocketAddress("127.0.0.1", portA), group, FAST_RECONNECT);
        b = TcpWirePort.connect(new InetSocketAddress("127.0.0.1", portB), group, FAST_RECONNECT);
        a.attach(atA);
        b.attach(atB);
        atA.awaitCarrier(true, WAIT);
        atB.awaitCarrier(true, WAIT);

        for (int size : List.of(60, 64, 1514, 9018)) {
            byte[] toB = ethernet(mac(2), mac(1), size, size);
            byte[] toA = ethernet(mac(1), mac(2), size, size + 1);
            a.send(buf(toB.clone()));
            a.flush();
            b.send(buf(toA.clone()));
            b.flush();
            assertThat(atB.awaitFrame(WAIT)).isEqualTo(toB);
            assertThat(atA.awaitFrame(WAIT)).isEqualTo(toA);
        }
        assertThat(qemu.isAlive())
                .as("QEMU kept both connections and is running")
                .isTrue();
    }

    private static String netdev(String id, int port) {
        return "stream,id=" + id + ",server=on,addr.type=inet,addr.host=127.0.0.1,addr.port=" + port;
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
