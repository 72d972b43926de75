package org.ndis4j.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ndis4j.testing.Await;

/**
 * {@code java -jar target/ndis4j.jar ARGS} in a process of its own, as a user runs it: its exit
 * status and what it printed. Output goes to files (a pipe the JDK closes at exit would lose the
 * last lines).
 */
final class JarRun implements AutoCloseable {

    private static final Path JAR = Path.of("target", "ndis4j.jar");

    private final Process process;
    private final Path out;
    private final Path err;

    private JarRun(List<String> args, Path workingDirectory) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError(JAR.toAbsolutePath() + " is missing: the integration tests run after package");
        }
        out = Files.createTempFile("ndis4j-run", ".out");
        err = Files.createTempFile("ndis4j-run", ".err");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toAbsolutePath().toString()));
        command.addAll(args);
        process = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
    }

    /** Starts {@code ndis4j ARGS} in {@code workingDirectory}. */
    static JarRun start(Path workingDirectory, String... args) throws IOException {
        return new JarRun(List.of(args), workingDirectory);
    }

    static JarRun start(String... args) throws IOException {
        return start(Path.of("."), args);
    }

    /** Waits for the exit; fails the test after {@code timeout} (the process is killed). */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "ndis4j did not exit within " + timeout + "; stdout:\n" + out() + "\nstderr:\n" + err());
        }
        return process.exitValue();
    }

    /** The first group of the first stderr line matching {@code pattern}, waiting up to {@code timeout}. */
    String awaitErr(Pattern pattern, Duration timeout) {
        return Await.value(null, "a stderr line matching " + pattern, timeout, () -> {
            for (String line : err().lines().toList()) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("ndis4j exited without printing " + pattern + "; stderr:\n" + err());
            }
            return null;
        });
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    List<String> outLines() {
        return out().lines().toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
    }
}
