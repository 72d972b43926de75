package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar ndis4j.jar bench} in a process of its own: a table on stdout, nothing on stderr. */
class BenchCommandIT {

    @TempDir
    Path dir;

    @Test
    void onATerminalItShowsAProgressBar() throws Exception {
        // script(1) (util-linux) runs the command on a pseudo-terminal: System.console() is then there.
        boolean found = Files.isExecutable(Path.of("/usr/bin/script"));
        if (!found) {
            System.err.println("*** BenchCommandIT: /usr/bin/script NOT FOUND - the progress bar check is SKIPPED."
                    + " Install util-linux to run it. ***");
        }
        Assumptions.assumeTrue(found, "script(1) is not installed");
        Path out = dir.resolve("terminal");
        String command = String.join(
                " ",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "ndis4j.jar").toAbsolutePath().toString(),
                "bench",
                "--quick",
                "--no-references",
                "--only",
                "work-item");
        Process p = new ProcessBuilder("/usr/bin/script", "-qec", command, "/dev/null")
                .redirectOutput(out.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("bench finished").isTrue();
        String screen = Files.readString(out);
        assertThat(p.exitValue()).as(screen).isZero();
        assertThat(screen)
                .as("the bar: task, percentage, units")
                .containsPattern("work-item +100% \\[=*\\] +4000/4000");
        assertThat(screen).containsPattern("work-item\\s+NDIS work item\\s+\\S+ µs p50");
    }

    @Test
    void printsATableAndNoLogLines() throws Exception {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        Path.of("target", "ndis4j.jar").toString(),
                        "bench",
                        "--quick",
                        "--no-references",
                        "--only",
                        "switch-64,work-item,interrupt-dpc"))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("bench finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(err))
                .as("stderr: no log lines, no progress bar without a console")
                .isEmpty();
        assertThat(Files.readAllLines(out))
                .anyMatch(l -> l.startsWith("benchmark "))
                .anyMatch(l -> l.matches("switch-64\\s+ndis4j switch\\s+\\S+ Mpps.*"))
                .anyMatch(l -> l.matches("interrupt-dpc\\s+NDIS interrupt → DPC\\s+\\S+ µs p50.*"));
    }

    @Test
    void hostToHostRowsSitNextToTheSwitchAlone() throws Exception {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        Path.of("target", "ndis4j.jar").toString(),
                        "bench",
                        "--quick",
                        "--only",
                        "host-udp-64,host-ping"))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("bench finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(err)).as("stderr: no log lines").isEmpty();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines)
                .anyMatch(l -> l.matches("host-udp-64\\s+ndis4j host → switch → host \\(UDP\\)\\s+\\S+ kpps .*"
                        + "× the switch alone.*JFR top frames: .*"))
                .anyMatch(l -> l.matches("host-udp-64\\s+ndis4j switch alone \\(same run\\)\\s+\\S+ Mpps.*"))
                .anyMatch(l -> l.matches("host-ping\\s+ndis4j host → switch → host \\(ping\\)\\s+\\S+ µs p50.*p99.*"))
                // Measured where the run is root with /dev/net/tun (CI), else the row says why not.
                .anyMatch(l -> l.matches("host-ping\\s+Linux ping → TAP → ipstack\\s+.*"));
    }
}
