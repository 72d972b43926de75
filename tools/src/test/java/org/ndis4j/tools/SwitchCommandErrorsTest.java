package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ndis4j switch} refusing to start, as a user meets it: exit status 1 and one line on stderr
 * that names what failed and the operating system's reason (a stack trace only with {@code -v}),
 * and nothing touched. Usage errors (bad values) exit with 2.
 */
class SwitchCommandErrorsTest {

    @TempDir
    Path dir;

    private static void assertOneLineError(CommandRun run, String expected) {
        assertThat(run.status()).as("exit status; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.errLines()).as("stderr").containsExactly(expected);
        assertThat(run.out()).as("nothing started").doesNotContain("listening");
    }

    @Test
    void anExistingCaptureFileIsNotReplacedWithoutForce() throws IOException {
        Path file = dir.resolve("old.pcap");
        Files.writeString(file, "precious");
        CommandRun run = CommandRun.of("switch", "--listen", "127.0.0.1:0", "--capture", file.toString());
        assertOneLineError(run, "ndis4j switch: cannot capture to " + file + ": File exists (--force replaces it)");
        assertThat(Files.readString(file)).isEqualTo("precious");
    }

    @Test
    void aSymbolicLinkIsNeverFollowedEvenWithForce() throws IOException {
        Path target = dir.resolve("target.txt");
        Files.writeString(target, "precious");
        Path link = Files.createSymbolicLink(dir.resolve("capture.pcap"), target);
        CommandRun plain = CommandRun.of("switch", "--listen", "127.0.0.1:0", "--capture", link.toString());
        assertOneLineError(plain, "ndis4j switch: cannot capture to " + link + ": Is a symbolic link (never followed)");
        CommandRun forced = CommandRun.of("switch", "--listen", "127.0.0.1:0", "--capture", link.toString(), "--force");
        assertOneLineError(
                forced, "ndis4j switch: cannot capture to " + link + ": Is a symbolic link (never followed)");
        assertThat(Files.readString(target)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aDanglingSymbolicLinkCreatesNothingAtItsTarget() throws IOException {
        Path target = dir.resolve("would-be-created.txt");
        Path link = Files.createSymbolicLink(dir.resolve("capture.pcap"), target);
        CommandRun forced = CommandRun.of("switch", "--listen", "127.0.0.1:0", "--capture", link.toString(), "--force");
        assertOneLineError(
                forced, "ndis4j switch: cannot capture to " + link + ": Is a symbolic link (never followed)");
        assertThat(target).doesNotExist();
    }

    @Test
    void aDirectoryIsRefused() {
        CommandRun plain = CommandRun.of("switch", "--listen", "127.0.0.1:0", "--capture", dir.toString());
        assertOneLineError(plain, "ndis4j switch: cannot capture to " + dir + ": File exists (--force replaces it)");
        CommandRun forced = CommandRun.of("switch", "--listen", "127.0.0.1:0", "--capture", dir.toString(), "--force");
        assertOneLineError(forced, "ndis4j switch: cannot capture to " + dir + ": Is a directory");
    }

    @Test
    void anUnwritablePathGivesTheOperatingSystemsReason() {
        // sysfs lets nobody, root included, create a file: a path unwritable on every Linux machine.
        Path sys = Path.of("/sys/ndis4j-capture-test.pcap");
        assertOneLineError(
                CommandRun.of("switch", "--listen", "127.0.0.1:0", "--capture", sys.toString()),
                "ndis4j switch: cannot capture to " + sys + ": Permission denied");
        Path missing = dir.resolve("no/such/dir/capture.pcap");
        assertOneLineError(
                CommandRun.of("switch", "--listen", "127.0.0.1:0", "--capture", missing.toString()),
                "ndis4j switch: cannot capture to " + missing + ": No such file or directory");
    }

    @Test
    void aPortInUseIsOneLineNamingTheAddressAndAStackTraceOnlyWithVerbose() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            assertOneLineError(
                    CommandRun.of("switch", "--listen", address),
                    "ndis4j switch: cannot listen on " + address + ": Address already in use");
            CommandRun verbose = CommandRun.of("switch", "--listen", address, "-v");
            assertThat(verbose.status()).isEqualTo(1);
            assertThat(verbose.errLines().get(0))
                    .isEqualTo("ndis4j switch: cannot listen on " + address + ": Address already in use");
            assertThat(verbose.err()).contains("CannotListenException").contains("\tat ");
        }
    }

    @Test
    void aForeignAddressIsOneLineNamingIt() {
        // 192.0.2.1 (TEST-NET-1) is on no interface of this host: bind fails, nothing is sent anywhere.
        CommandRun run = CommandRun.of("switch", "--listen", "192.0.2.1:5555");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines())
                .last()
                .isEqualTo("ndis4j switch: cannot listen on 192.0.2.1:5555: Cannot assign requested address");
        assertThat(run.errLines()).first().asString().startsWith("ndis4j switch: warning: the switch listens on");
        assertThat(run.errLines()).hasSize(2);
    }

    @Test
    void theControlEndpointOrTheMirrorOnAPortInUseIsOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertOneLineError(
                    CommandRun.of("switch", "--listen", "127.0.0.1:0", "--control", String.valueOf(port)),
                    "ndis4j switch: cannot listen for the control endpoint on 127.0.0.1:" + port
                            + ": Address already in use");
            assertOneLineError(
                    CommandRun.of("switch", "--listen", "127.0.0.1:0", "--mirror", "127.0.0.1:" + port),
                    "ndis4j switch: cannot listen for mirror on 127.0.0.1:" + port + ": Address already in use");
        }
    }

    @Test
    void badValuesAreUsageErrors() {
        for (String[] args : new String[][] {
            {"--stats-interval", "-1"},
            {"--stats-interval", "ten"},
            {"--ageing", "0"},
            {"--idle-timeout", "-5"},
            {"--partial-frame-timeout", "-0.5"},
            {"--max-ports", "0"},
            {"--queue-bytes", "100"},
            {"--max-frame", "5"},
            {"--listen", "::1:5555"},
            {"--listen", "127.0.0.1:70000"},
            {"--force"},
        }) {
            String[] full = new String[args.length + 3];
            full[0] = "switch";
            full[1] = "--listen";
            full[2] = "127.0.0.1:0";
            System.arraycopy(args, 0, full, 3, args.length);
            CommandRun run = CommandRun.of(full);
            assertThat(run.status())
                    .as("%s: %s", String.join(" ", args), run.err())
                    .isEqualTo(2);
            assertThat(run.err()).doesNotContain("\tat ");
        }
    }

    @Test
    void aSwitchThatCannotListenCreatesNoCaptureFile() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path file = dir.resolve("new.pcap");
            CommandRun run = CommandRun.of(
                    "switch", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--capture", file.toString());
            assertThat(run.status()).isEqualTo(1);
            assertThat(file).doesNotExist();
            Path old = Files.writeString(dir.resolve("old.pcap"), "precious");
            CommandRun forced = CommandRun.of(
                    "switch", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--capture", old.toString(), "--force");
            assertThat(forced.status()).isEqualTo(1);
            assertThat(Files.readString(old))
                    .as("not truncated by a switch that never ran")
                    .isEqualTo("precious");
        }
    }
}
