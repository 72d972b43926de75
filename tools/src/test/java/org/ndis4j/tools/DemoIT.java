package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ndis4j demo} as a process: the whole story in a few seconds, the summary table, and a pcap
 * of the switch that tshark reads without a malformed packet. An earlier capture at the same path is
 * replaced.
 */
class DemoIT {

    static final Duration RUN = Duration.ofSeconds(120);

    @Test
    void tellsTheStoryAndWritesAPcapTsharkReadsCleanly(@TempDir Path dir) throws Exception {
        Path earlier = dir.resolve("demo.pcap");
        Files.write(earlier, new byte[] { // an earlier capture: a pcap header and no frame
            (byte) 0xa1,
            (byte) 0xb2,
            0x3c,
            0x4d,
            0,
            2,
            0,
            4,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            (byte) 0xff,
            (byte) 0xff,
            0,
            0,
            0,
            1
        });
        List<String> lines;
        try (JarRun demo = JarRun.start(dir, "demo")) { // default --pcap demo.pcap, in the working directory
            assertThat(demo.awaitExit(RUN)).as(demo.out() + demo.err()).isZero();
            lines = demo.outLines();
        }
        assertThat(lines)
                .contains(
                        "1. A pings B",
                        "2. B's switch port is pulled (admin down): the link-down path on B",
                        "3. B's port comes back: link up, a gratuitous ARP, pings resume",
                        "4. A pended OID turns promiscuous mode on B on and off",
                        "5. The filter's policy changes through its vendor OID (OID_VLANFILTER_POLICY, 0xFF4E0001)",
                        "Summary");
        String out = String.join("\n", lines);
        assertThat(out)
                // B's processor ran them: on its own thread, or on the thread that raised the interrupt
                // while it was idle ("T as host-b#N-cpuN", docs/kernel.md).
                .containsPattern("interrupt +DIRQL +(\\S+ as )?host-b#\\d+-cpu\\d")
                .containsPattern("DPC +DISPATCH_LEVEL +(\\S+ as )?host-b#\\d+-cpu\\d")
                .containsPattern("work item +PASSIVE_LEVEL +host-b#\\d+-CriticalWorkQueue-\\d")
                .containsPattern(
                        "status +PASSIVE_LEVEL .*NdisMIndicateStatusEx\\(NDIS_STATUS_LINK_STATE 0x40010017, disconnected\\)")
                .containsPattern("filter +PASSIVE_LEVEL .*vlanfilter's FilterStatus")
                .containsPattern("protocol +PASSIVE_LEVEL .*ipstack's ProtocolStatusEx: link down")
                .contains("3 packets transmitted, 0 received, 100% packet loss")
                .contains("NDIS_STATUS_PENDING")
                .contains("B's NIC filters 5")
                .containsPattern("interrupts \\(ISRs run\\) +\\d+ +\\d+")
                .containsPattern("work items run \\(CriticalWorkQueue\\) +\\d+ +\\d+")
                .containsPattern("OIDs ipstack issued: pended / completed +\\d+ / \\d+ +\\d+ / \\d+")
                .doesNotContain("FAILED");

        Path pcap = dir.resolve("demo.pcap");
        assertThat(Files.size(pcap)).as("the earlier capture was replaced").isGreaterThan(24);
        List<String> packets = tshark("-r", pcap.toString());
        assertThat(packets.size()).isGreaterThan(30);
        assertThat(packets).anyMatch(p -> p.contains("ARP Announcement for 10.0.0.2"));
        assertThat(packets).anyMatch(p -> p.contains("Echo (ping) reply"));
        assertThat(tshark("-r", pcap.toString(), "-Y", "_ws.malformed"))
                .as("malformed packets")
                .isEmpty();
        assertThat(tshark("-r", pcap.toString(), "-q", "-z", "expert"))
                .as("tshark's expert information")
                .noneMatch(l -> l.contains("Malformed") || l.contains("Error"));
        assertThat(tshark("-r", pcap.toString(), "-Y", "vlan.id == 42"))
                .as("frames tagged for VLAN 42")
                .hasSize(6);
    }

    /** tshark's stdout lines (its "running as root" warnings go to stderr). */
    static List<String> tshark(String... args) throws IOException, InterruptedException {
        Path tshark = Files.isExecutable(Path.of("/usr/bin/tshark")) ? Path.of("/usr/bin/tshark") : null;
        Assumptions.assumeTrue(
                tshark != null, "SKIPPED LOUDLY: tshark is not installed; CI installs it (apt-get install tshark)");
        Path out = Files.createTempFile("tshark", ".out");
        try {
            List<String> command = new ArrayList<>(List.of(tshark.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("tshark " + String.join(" ", args)).isZero();
            return Files.readAllLines(out);
        } finally {
            Files.delete(out);
        }
    }
}
