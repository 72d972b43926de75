package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Wireshark's own command-line tools (tshark, text2pcap, editcap: Debian's tshark and
 * wireshark-common, which .ci/run installs). Where one is missing, a test that needs it is skipped
 * with one loud line; in CI (the CI variable set) it fails instead.
 */
final class WiresharkTools {

    private WiresharkTools() {}

    static Path require(String tool) {
        Path path = Path.of("/usr/bin", tool);
        if (Files.isExecutable(path)) {
            return path;
        }
        String message = tool + " is not installed; .ci/run installs it (apt-get install tshark wireshark-common)";
        if (System.getenv("CI") != null) {
            throw new AssertionError("CI must provide " + message);
        }
        Assumptions.assumeTrue(false, "SKIPPED LOUDLY: " + message);
        return path;
    }

    /** Runs {@code tool args}; returns its stdout lines (its "running as root" warnings go to stderr). */
    static List<String> run(String tool, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tool, ".out");
        Path err = Files.createTempFile(tool, ".err");
        try {
            List<String> command = new ArrayList<>(List.of(require(tool).toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(tool + " finished").isTrue();
            assertThat(p.exitValue())
                    .as(tool + " " + String.join(" ", args) + ": " + Files.readString(err))
                    .isZero();
            return Files.readAllLines(out);
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
