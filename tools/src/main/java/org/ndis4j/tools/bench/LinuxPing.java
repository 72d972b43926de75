package org.ndis4j.tools.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.wire.TapWirePort;

/**
 * Linux's own {@code ping} of an ipstack host behind a TAP: the reference round trip for
 * {@link HostToHost.PingRtt}. The Linux side lives in a network namespace made for the run and
 * always deleted ({@code ndis4j-bench-} and random hex digits; 10.11.0.1/24 there, ipstack
 * 10.11.0.2): the TAP is opened here, then moved into it. Needs root, /dev/net/tun, ip and ping.
 */
final class LinuxPing {

    private static final String IP = Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "ip";
    private static final Pattern TIME = Pattern.compile("time=(\\d+(?:\\.\\d+)?) ms");

    private LinuxPing() {}

    /** Null when Linux's ping can be measured here, else why not (one line for the table). */
    static String unavailable() {
        if (!TapWirePort.isSupported() || !Files.exists(Path.of("/dev/net/tun"))) {
            return "no TAP here (/dev/net/tun, epoll)";
        }
        try {
            if (run(List.of("id", "-u")).trim().equals("0")
                    && !run(List.of("ping", "-V")).isEmpty()) {
                return null;
            }
            return "needs root";
        } catch (IOException | RuntimeException e) {
            return "needs ip and ping (iputils-ping): " + e.getMessage();
        }
    }

    /** Round trips in nanoseconds of {@code count} pings 2 ms apart, as ping(8) prints them. */
    static long[] rtts(int count) throws IOException {
        String ns = "ndis4j-bench-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String tap =
                "n4b" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        run(List.of(IP, "netns", "add", ns));
        try (IpHost host = IpHost.builder("bench-linux-peer", TapWirePort.open(tap))
                .mac(MacAddress.of("02:4e:44:00:0b:02"))
                .address(InterfaceConfig.parse("10.11.0.2/24"))
                .filter(false)
                .start()) {
            run(List.of(IP, "link", "set", tap, "netns", ns));
            run(List.of(IP, "-n", ns, "addr", "add", "10.11.0.1/24", "dev", tap));
            run(List.of(IP, "-n", ns, "link", "set", tap, "up"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!host.ip().isLinkUp() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            String out = run(List.of(
                    IP, "netns", "exec", ns, "ping", "-n", "-c", "" + count, "-i", "0.002", "-W", "1", "10.11.0.2"));
            List<Long> rtts = new ArrayList<>();
            Matcher m = TIME.matcher(out);
            while (m.find()) {
                rtts.add((long) (Double.parseDouble(m.group(1)) * 1e6));
            }
            if (rtts.isEmpty()) {
                throw new IOException("Linux's ping got no reply from ipstack over the TAP: " + out);
            }
            return rtts.stream().mapToLong(Long::longValue).toArray();
        } finally {
            run(List.of(IP, "netns", "delete", ns));
        }
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }
}
