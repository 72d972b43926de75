package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user runs it: exit codes and output of the subcommands that end by themselves. */
class Ndis4jCommandTest {

    private static int run(String... args) {
        return new CommandLine(new Ndis4j()).execute(args);
    }

    @Test
    void demoFlapsTheLinkAndExitsZero() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = run("demo", "link-flap", "--flaps", "1");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(out)
                .contains("cable plugged in")
                .contains("PHY says link up")
                .contains("PHY says link down")
                .contains("NDIS_STATUS_LINK_STATE (0x40010017)")
                .contains("linkflap/dev0 is Halted");
    }

    @Test
    void demoRefusesANonsenseFlapCount() {
        assertThat(run("demo", "link-flap", "--flaps", "0")).isEqualTo(2);
    }

    /** One run with stderr captured: its exit status and what it printed there. */
    private static String[] runCapturingErr(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = run(args);
        } finally {
            System.setErr(original);
        }
        return new String[] {Integer.toString(status), captured.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void pingRefusesBadUsageWithExitStatusTwoAndOneLine() {
        String[][] cases = {
            {"ping", "--ip", "10.0.0.1/24", "10.0.0.2"}, // no --wire
            {"ping", "--wire", "connect:127.0.0.1:5555", "10.0.0.2"}, // no --ip
            {"ping", "--wire", "dial:127.0.0.1:5555", "--ip", "10.0.0.1/24", "10.0.0.2"},
            {"ping", "--wire", "connect:127.0.0.1:5555", "--ip", "10.0.0.300/24", "10.0.0.2"},
            {"ping", "--wire", "connect:127.0.0.1:5555", "--ip", "10.0.0.1", "10.0.0.2"},
            {"ping", "--wire", "connect:127.0.0.1:5555", "--ip", "10.0.0.1/24", "192.0.2.9"}, // off-link
            {"ping", "--wire", "connect:127.0.0.1:5555", "--ip", "10.0.0.1/24", "--size", "1473", "10.0.0.2"},
            {"ping", "--wire", "connect:127.0.0.1:5555", "--ip", "10.0.0.1/24", "--count", "0", "10.0.0.2"},
            {"ping", "--wire", "connect:127.0.0.1:5555", "--ip", "10.0.0.1/24", "--mac", "01:00:5e:00:00:01", "10.0.0.2"
            },
            {"ping", "--wire", "connect:127.0.0.1:5555", "--ip", "10.0.0.1/24", "10.0.0.1"}, // itself
        };
        for (String[] args : cases) {
            String[] result = runCapturingErr(args);
            assertThat(result[0]).as(String.join(" ", args)).isEqualTo("2");
            assertThat(result[1].lines().findFirst().orElse(""))
                    .as("the first stderr line of " + String.join(" ", args))
                    .isNotBlank()
                    .doesNotContain("Exception");
        }
    }

    @Test
    void demoRefusesAPcapPathThatIsASymlinkOrAnotherFile(@TempDir Path dir) throws Exception {
        Path precious = Files.writeString(dir.resolve("precious.txt"), "not a capture");
        Path link = Files.createSymbolicLink(dir.resolve("demo.pcap"), precious);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("demo", "--pcap", link.toString())).isEqualTo(2);
            assertThat(run("demo", "--pcap", precious.toString())).isEqualTo(2);
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("is a symbolic link; the demo does not follow it")
                .contains("is not a pcap capture; not replacing it");
        assertThat(Files.readString(precious)).isEqualTo("not a capture");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void switchRefusesAMaxFrameOutsideEthernetLimits() {
        assertThat(run("switch", "--listen", "127.0.0.1:0", "--max-frame", "5")).isEqualTo(2);
    }

    @Test
    void withoutASubcommandItPrintsUsage() {
        assertThat(run()).isZero();
    }
}
