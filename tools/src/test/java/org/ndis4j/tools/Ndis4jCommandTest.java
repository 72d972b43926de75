package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
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
            status = run("demo", "--flaps", "1");
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
        assertThat(run("demo", "--flaps", "0")).isEqualTo(2);
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
