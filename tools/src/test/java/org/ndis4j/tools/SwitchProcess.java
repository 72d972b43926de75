package org.ndis4j.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/ndis4j.jar switch ...} as a user runs it, in a process of its own: the
 * addresses it prints, its output, and a stop by SIGTERM (what Ctrl-C and {@code kill} do).
 */
final class SwitchProcess implements AutoCloseable {

    static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Path JAR = Path.of("target", "ndis4j.jar");

    private final Process process;
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final List<String> err = Collections.synchronizedList(new ArrayList<>());
    private final Thread outReader;
    private final Thread errReader;

    private SwitchProcess(List<String> command) throws IOException {
        process = new ProcessBuilder(command).start();
        outReader = pump(process.getInputStream(), out, "switch-stdout");
        errReader = pump(process.getErrorStream(), err, "switch-stderr");
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

    private static Thread pump(InputStream in, List<String> lines, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException ended) {
                        // the process is gone
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The first stdout line matching {@code pattern} (its first group), waiting for it with a deadline. */
    String awaitOut(Pattern pattern, Duration timeout) {
        return await(out, pattern, timeout, "stdout");
    }

    String awaitErr(Pattern pattern, Duration timeout) {
        return await(err, pattern, timeout, "stderr");
    }

    private String await(List<String> lines, Pattern pattern, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (; ; ) {
            synchronized (lines) {
                for (String line : lines) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return m.groupCount() > 0 ? m.group(1) : line;
                    }
                }
            }
            if (System.nanoTime() - deadline > 0 || (!process.isAlive() && !outReader.isAlive())) {
                throw new AssertionError("no " + what + " line matching " + pattern + " within " + timeout
                        + "; stdout: " + out() + "; stderr: " + err());
            }
            LockSupport.parkNanos(10_000_000); // poll interval of a bounded wait
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
        outReader.join(10_000);
        errReader.join(10_000);
        return process.exitValue();
    }

    List<String> out() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    List<String> err() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
