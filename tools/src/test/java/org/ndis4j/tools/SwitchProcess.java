package org.ndis4j.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ndis4j.tools.endpoint.HostPort;

/**
 * {@code java -jar target/ndis4j.jar switch ...} as a user runs it, in a process of its own: the
 * addresses it prints, its output, and a stop by SIGTERM (what Ctrl-C and {@code kill} do).
 *
 * <p>Its output goes to files, not pipes: when a process exits, the JDK closes the pipe of a stream
 * that a thread is still reading ("Stream closed"), and the last lines, the final counters printed
 * by the shutdown hook, would be lost.
 */
final class SwitchProcess implements AutoCloseable {

    static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Path JAR = Path.of("target", "ndis4j.jar");

    private final Process process;
    private final Path outFile;
    private final Path errFile;

    private SwitchProcess(List<String> command) throws IOException {
        outFile = Files.createTempFile("ndis4j-switch", ".out");
        errFile = Files.createTempFile("ndis4j-switch", ".err");
        process = new ProcessBuilder(command)
                .redirectOutput(outFile.toFile())
                .redirectError(errFile.toFile())
                .start();
    }

    /** Starts {@code ndis4j switch ARGS...} and waits until it says where it listens. */
    static SwitchProcess start(String... args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError(JAR.toAbsolutePath() + " is missing: the integration tests run after package");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(), "switch"));
        command.addAll(List.of(args));
        SwitchProcess p = new SwitchProcess(command);
        p.awaitOut(Pattern.compile("^ndis4j switch listening on (\\S+)"), STARTUP);
        return p;
    }

    /** The first stdout line matching {@code pattern} (its first group), waiting for it with a deadline. */
    String awaitOut(Pattern pattern, Duration timeout) {
        return await(outFile, pattern, timeout, "stdout");
    }

    String awaitErr(Pattern pattern, Duration timeout) {
        return await(errFile, pattern, timeout, "stderr");
    }

    private String await(Path file, Pattern pattern, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (; ; ) {
            for (String line : lines(file)) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m.groupCount() > 0 ? m.group(1) : line;
                }
            }
            if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
                throw new AssertionError("no " + what + " line matching " + pattern + " within " + timeout
                        + "; stdout: " + out() + "; stderr: " + err());
            }
            LockSupport.parkNanos(10_000_000); // poll interval of a bounded wait
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InetSocketAddress listen() {
        return address(awaitOut(Pattern.compile("^ndis4j switch listening on (\\S+)"), STARTUP));
    }

    InetSocketAddress mirror() {
        return address(awaitOut(Pattern.compile("^  mirror on (\\S+)"), STARTUP));
    }

    Control control() {
        return new Control(awaitOut(Pattern.compile("^  control endpoint (\\S+)"), STARTUP));
    }

    /** Parses an address as the switch prints it, with the CLI's own parser: what it prints can be pasted back. */
    static InetSocketAddress address(String printed) {
        return new HostPort().convert(printed);
    }

    /** SIGTERM, then waits for the exit (the final counters are printed by then); returns the status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the switch did not stop within 60 s of SIGTERM; stdout: " + out());
        }
        return process.exitValue();
    }

    List<String> out() {
        return lines(outFile);
    }

    List<String> err() {
        return lines(errFile);
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(outFile);
        Files.deleteIfExists(errFile);
    }
}
