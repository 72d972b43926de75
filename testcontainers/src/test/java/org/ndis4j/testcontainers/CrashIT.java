package org.ndis4j.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testcontainers.InJvmHosts.A_IP;
import static org.ndis4j.testcontainers.InJvmHosts.A_MAC;
import static org.ndis4j.testcontainers.InJvmHosts.host;
import static org.ndis4j.testcontainers.InJvmHosts.ping;

import com.example.seeded.SeededBugMiniport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.examples.IpHost;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.VirtualSwitch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A user's miniport with a seeded bug (SeededBugMiniport: vmini that frees a work item twice on its
 * tenth send), in its own jar, under {@code ndis4j run} in a container: pinged from this JVM until the
 * bug fires, the container exits with the bug-check status (3), and its crash report, copied out of
 * the crash directory, is what {@code ndis4j crash} explains.
 */
@RequiresDocker
@ExtendWith(KernelExtension.class)
@KernelOptions(dpcTimeoutMillis = InJvmHosts.DPC_WATCHDOG_MILLIS, timeout = InJvmHosts.TEST_TIMEOUT)
class CrashIT {

    static final int CONTAINER_IP = Addresses.ipv4("10.0.0.2");

    @Test
    void aSeededBugEndsTheContainerWithStatus3AndACrashReportNdis4jCrashExplains(Kernel kernel, @TempDir Path dir)
            throws Exception {
        Path jar = DriverJar.write(SeededBugMiniport.class, dir.resolve("seeded-bug-miniport.jar"));
        try (VirtualSwitch sw = VirtualSwitch.start(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SwitchOptions.DEFAULTS);
                DriverHostContainer container = new DriverHostContainer(Ndis4jImage.get())
                        .withDriverJar(jar)
                        .withDriver(SeededBugMiniport.class.getName())
                        .withProtocol("ipstack")
                        .withIp("10.0.0.2/24")
                        .withWireConnect(sw.localAddress())) {
            container.start(); // Running: the bug waits for the tenth send
            assertThat(container.crashReport())
                    .as("a crash report before the bug")
                    .isEmpty();

            try (IpHost a = host(kernel, "host-a", A_MAC, A_IP, sw.localAddress())) {
                // Each reply is a send of the container's miniport: the tenth frees its work item twice.
                for (int seq = 1;
                        seq <= 4 * SeededBugMiniport.BUGGY_SEND
                                && container.exitStatus().isEmpty();
                        seq++) {
                    ping(a, CONTAINER_IP, seq, Duration.ofSeconds(2));
                }
            }
            assertThat(container.awaitExit(Duration.ofSeconds(60)))
                    .as("ndis4j run's exit status; its log:\n" + container.getLogs())
                    .isEqualTo(DriverHostContainer.BUG_CHECK_EXIT_STATUS);
            assertThat(container.getLogs())
                    .contains("*** STOP: 0x000000C4 (0x0000000000092009")
                    .contains("crash report written to " + DriverHostContainer.CRASH_DIR + "/");

            String report = container.crashReport().orElseThrow(() -> new AssertionError("no crash report"));
            JsonNode json = JsonMapper.builder().build().readTree(report);
            assertThat(json.has("bugCheck")).as(report).isTrue();
            Path copied = Files.writeString(dir.resolve("crash.json"), report);

            Explained crash = explain(copied);
            assertThat(crash.status()).as(crash.err()).isZero();
            assertThat(crash.out())
                    .contains("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)")
                    .contains("Arg1: 0x0000000000092009, the rule's id")
                    .contains("IoWorkItem_UseAfterFree")
                    .contains("SeededBugMiniport.sendNetBufferLists");
        }
    }

    private record Explained(int status, String out, String err) {}

    /** {@code java -jar tools/target/ndis4j.jar crash FILE}, as a user runs it. */
    private static Explained explain(Path report) throws IOException, InterruptedException {
        Path out = Files.createTempFile(report.getParent(), "crash", ".out");
        Path err = Files.createTempFile(report.getParent(), "crash", ".err");
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        Ndis4jImage.built("ndis4j.tools.jar").toString(),
                        "crash",
                        report.toString()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ndis4j crash did not exit within 60 s");
        }
        return new Explained(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
