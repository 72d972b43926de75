package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * The exit-status table as a user meets it: every command's usage errors are status 2 and one line
 * naming the command, every command's help shows the table, operational failures are 1.
 */
class ExitCodesTest {

    private static void assertUsageError(CommandRun run, String command, String expectedInLine) {
        assertThat(run.status()).as("exit status; stderr: %s", run.err()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.errLines()).as("stderr").hasSize(1);
        assertThat(run.errLines().get(0))
                .startsWith(command + ": ")
                .contains(expectedInLine)
                .endsWith("(see " + command + " --help)");
    }

    @Test
    void theCodesAreTheDocumentedOnes() {
        assertThat(ExitCode.SUCCESS.code()).isZero();
        assertThat(ExitCode.FAILURE.code()).isEqualTo(1);
        assertThat(ExitCode.USAGE.code()).isEqualTo(2);
        assertThat(ExitCode.BUG_CHECK.code()).isEqualTo(3);
        assertThat(ExitCode.LEAKS.code()).isEqualTo(4);
    }

    @Test
    void everyCommandsUsageErrorIsStatusTwoAndOneLine() {
        assertUsageError(CommandRun.of("--no-such-option"), "ndis4j", "Unknown option: '--no-such-option'");
        assertUsageError(CommandRun.of("no-such-command"), "ndis4j", "Unmatched argument");
        assertUsageError(
                CommandRun.of("switch", "--listen", "127.0.0.1:0", "--ageing", "0"),
                "ndis4j switch",
                "--ageing must be more than 0 seconds");
        assertUsageError(CommandRun.of("bench", "--runs", "0"), "ndis4j bench", "--runs must be 1..100, not 0");
        assertUsageError(CommandRun.of("bench", "--only", "nothing"), "ndis4j bench", "no benchmark named 'nothing'");
        assertUsageError(
                CommandRun.of("ping", "--ip", "10.0.0.1/24", "10.0.0.2"),
                "ndis4j ping",
                "--wire is required (or \"wire\" on the adapter in --config)");
        assertUsageError(
                CommandRun.of("ping", "--wire", "dial:127.0.0.1:1", "--ip", "10.0.0.1/24", "10.0.0.2"),
                "ndis4j ping",
                "expected connect:HOST:PORT, listen:HOST:PORT or tap:IFNAME, got 'dial:127.0.0.1:1'");
        assertUsageError(CommandRun.of("demo", "--frobnicate"), "ndis4j demo", "Unknown option: '--frobnicate'");
        assertUsageError(
                CommandRun.of("demo", "link-flap", "--flaps", "0"),
                "ndis4j demo link-flap",
                "--flaps must be 1..1000, not 0");
        assertUsageError(CommandRun.of("help", "no-such-command"), "ndis4j", "Unknown subcommand 'no-such-command'");
    }

    @Test
    void aStackTraceFollowsTheLineOnlyWithVerbose() {
        CommandRun quiet = CommandRun.of("bench", "--runs", "0");
        assertThat(quiet.err()).doesNotContain("\tat ");
        CommandRun verbose = CommandRun.of("bench", "--runs", "0", "-v");
        assertThat(verbose.status()).isEqualTo(ExitCode.USAGE.code());
        assertThat(verbose.errLines().get(0)).isEqualTo(quiet.errLines().get(0));
        assertThat(verbose.err()).contains("ParameterException").contains("\tat ");
    }

    @Test
    void everyCommandsHelpShowsTheTableAndExitsZero() {
        for (String[] args : new String[][] {
            {"--help"},
            {"switch", "--help"},
            {"bench", "--help"},
            {"ping", "--help"},
            {"demo", "--help"},
            {"demo", "link-flap", "--help"},
            {"capture", "--help"},
            {"inject", "--help"},
            {"help", "switch"},
        }) {
            CommandRun run = CommandRun.of(args);
            assertThat(run.status()).as(String.join(" ", args)).isZero();
            assertThat(run.out())
                    .as(String.join(" ", args))
                    .contains("Exit status:")
                    .containsPattern("\\s0\\s+success")
                    .containsPattern("\\s1\\s+operational failure")
                    .containsPattern("\\s2\\s+usage or configuration error")
                    .containsPattern("\\s3\\s+bug check")
                    .containsPattern("\\s4\\s+leaks found at exit");
        }
    }

    @Test
    void anAddressInUseIsAnOperationalFailure() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CommandRun run = CommandRun.of("switch", "--listen", "127.0.0.1:" + taken.getLocalPort());
            assertThat(run.status()).isEqualTo(ExitCode.FAILURE.code());
            assertThat(run.errLines()).hasSize(1);
            CommandRun ping = CommandRun.of(
                    "ping", "--wire", "listen:127.0.0.1:" + taken.getLocalPort(), "--ip", "10.0.0.1/24", "10.0.0.2");
            assertThat(ping.status()).as(ping.err()).isEqualTo(ExitCode.FAILURE.code());
            assertThat(ping.errLines())
                    .containsExactly("ndis4j ping: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use");
        }
    }
}
