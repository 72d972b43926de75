package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Linux network namespace a test creates and always deletes ({@link #close()}, in an
 * {@code @AfterEach} that runs whether the test passed or failed): the Linux side of the TAP tests
 * lives there, with 10.x addresses that exist nowhere else, so nothing reaches this machine's own
 * network. Its name is unique ({@code ndis4j-it-} and 8 random hex digits).
 */
final class LinuxNamespace implements AutoCloseable {

    /** iproute2's {@code ip}, which root's PATH has and a test JVM's may not. */
    static final String IP = onPath("ip") ? "ip" : "/usr/sbin/ip";

    final String name;
    private boolean deleted;

    private LinuxNamespace(String name) {
        this.name = name;
    }

    /**
     * Skips the test, with one loud line, where TAP tests cannot run: they need root, /dev/net/tun,
     * {@code ip} and the listed programs (.ci/run installs them; CI runs as root, so there they run).
     */
    static void assumeAvailable(String... programs) throws Exception {
        List<String> missing = new ArrayList<>();
        if (!output("id", "-u").trim().equals("0")) {
            missing.add("root");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun");
        }
        if (!onPath("ip") && !Files.isExecutable(Path.of(IP))) {
            missing.add("ip (iproute2)");
        }
        for (String program : programs) {
            if (!onPath(program)) {
                missing.add(program);
            }
        }
        Assumptions.assumeTrue(
                missing.isEmpty(),
                "SKIPPED LOUDLY: the Linux TAP tests need root, /dev/net/tun, ip and " + String.join(", ", programs)
                        + "; missing here: " + String.join(", ", missing)
                        + " (.ci/run installs them; CI runs as root)");
    }

    /** Creates a new namespace with its loopback up. */
    static LinuxNamespace create() throws Exception {
        LinuxNamespace ns = new LinuxNamespace("ndis4j-it-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        run(IP, "netns", "add", ns.name);
        try {
            ns.exec(IP, "link", "set", "lo", "up");
        } catch (Throwable t) {
            ns.close();
            throw t;
        }
        return ns;
    }

    /** A TAP name unique enough for one machine: {@code n4j} and 8 random hex digits (IFNAMSIZ allows 15). */
    static String tapName() {
        return "n4j" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** {@code ip netns exec NAME command...}; fails the test unless it exits 0. Returns its output. */
    String exec(String... command) throws Exception {
        return run(inside(command));
    }

    /** The command line that runs {@code command} inside the namespace. */
    List<String> inside(String... command) {
        List<String> line = new ArrayList<>(List.of(IP, "netns", "exec", name));
        line.addAll(List.of(command));
        return line;
    }

    /** Moves interface {@code device} (of this process's namespace) into this one, then sets it up with {@code cidr}. */
    void adopt(String device, String cidr) throws Exception {
        run(IP, "link", "set", device, "netns", name);
        configure(device, cidr);
    }

    /** Gives {@code device} (already in this namespace) the address {@code cidr} and sets it up. */
    void configure(String device, String cidr) throws Exception {
        exec(IP, "addr", "add", cidr, "dev", device);
        exec(IP, "link", "set", device, "up");
    }

    /** Deletes the namespace (and every interface in it), and checks that it is gone. */
    @Override
    public void close() throws IOException {
        if (deleted) {
            return;
        }
        deleted = true;
        try {
            run(IP, "netns", "delete", name);
            assertThat(output(IP, "netns", "list")).doesNotContain(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while deleting namespace " + name, e);
        }
    }

    static String run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = exec(command);
        String out = read(p);
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    static String output(String... command) throws IOException, InterruptedException {
        return read(exec(List.of(command)));
    }

    private static Process exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        return p;
    }

    private static String read(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
