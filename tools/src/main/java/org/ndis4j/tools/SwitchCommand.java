package org.ndis4j.tools;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ndis4j.tools.control.ControlServer;
import org.ndis4j.tools.endpoint.HostPort;
import org.ndis4j.wire.CannotListenException;
import org.ndis4j.wire.EthernetFrames;
import org.ndis4j.wire.MirrorStatistics;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.SwitchPortStatistics;
import org.ndis4j.wire.SwitchStatistics;
import org.ndis4j.wire.TapException;
import org.ndis4j.wire.TapWirePort;
import org.ndis4j.wire.Transports;
import org.ndis4j.wire.VirtualSwitch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ndis4j switch}: runs a virtual L2 switch until Ctrl-C or SIGTERM, then exits 0 ({@link ExitCode}). */
@Command(
        name = "switch",
        mixinStandardHelpOptions = true,
        description = {
            "Runs an L2 learning switch whose ports are TCP connections in QEMU stream framing",
            "(4-byte big-endian length, then the Ethernet frame) and, with --tap, Linux TAP devices.",
            "Runs until Ctrl-C or SIGTERM,",
            "then closes every port, finishes the capture and prints the final counters."
        })
final class SwitchCommand implements Callable<Integer> {

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            converter = HostPort.class,
            defaultValue = "127.0.0.1:5555",
            description = "Address to accept ports on (default: ${DEFAULT-VALUE}). 0.0.0.0 is every IPv4 address,"
                    + " [::] every IPv6 address; anything but loopback prints who can reach it.")
    InetSocketAddress listen;

    @Option(
            names = "--capture",
            paramLabel = "FILE",
            description = "Write every frame the switch receives to this pcap file (a new file; see --force).")
    Path capture;

    @Option(
            names = "--force",
            description = "Replace an existing capture file. A symbolic link is never followed, --force or not.")
    boolean force;

    @Option(
            names = "--mirror",
            paramLabel = "HOST:PORT",
            converter = HostPort.class,
            description = "Also listen here: every connection receives a copy of every frame the switch forwards"
                    + " (SPAN). A slow mirror misses copies (counted); it never slows the switch.")
    InetSocketAddress mirror;

    @Option(
            names = "--control",
            paramLabel = "[HOST:]PORT",
            converter = HostPort.LoopbackByDefault.class,
            description = "Serve the control endpoint (JSON over HTTP) here; a bare PORT means 127.0.0.1:PORT."
                    + " GET / lists its routes.")
    InetSocketAddress control;

    @Option(
            names = "--tap",
            paramLabel = "IFNAME",
            description = "Also plug this Linux TAP device in as a port (created if absent; needs CAP_NET_ADMIN),"
                    + " so the host's own network stack is a station on the switch. Repeatable.")
    List<String> taps = List.of();

    @Option(
            names = "--max-frame",
            paramLabel = "BYTES",
            defaultValue = "" + EthernetFrames.DEFAULT_MAX_FRAME_LENGTH,
            description =
                    "Longest Ethernet frame accepted, without FCS (default: ${DEFAULT-VALUE}); a longer one closes its port.")
    int maxFrame;

    @Option(
            names = "--queue-bytes",
            paramLabel = "BYTES",
            defaultValue = "67108864",
            description = "Capacity of each port's output queue (default: ${DEFAULT-VALUE}); frames beyond it are"
                    + " dropped and counted on that port.")
    int queueBytes;

    @Option(
            names = "--buffer-bytes",
            paramLabel = "BYTES",
            defaultValue = "268435456",
            description = "Memory all output queues share (default: ${DEFAULT-VALUE}); however many ports are"
                    + " stuck, the switch queues no more than this.")
    long bufferBytes;

    @Option(
            names = "--flow-control",
            description = "Pause a sender while a port it feeds is a quarter full instead of dropping (802.3x-like)."
                    + " Off by default: one stuck port then stalls every sender that floods to it.")
    boolean flowControl;

    @Option(
            names = "--max-ports",
            paramLabel = "N",
            defaultValue = "256",
            description = "Most ports connected at once (default: ${DEFAULT-VALUE}); more are closed and counted.")
    int maxPorts;

    @Option(
            names = "--partial-frame-timeout",
            paramLabel = "SECONDS",
            converter = Seconds.class,
            defaultValue = "30",
            description = "Close a port whose frame stops arriving half-way for this long; 0 turns it off"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration partialFrameTimeout;

    @Option(
            names = "--idle-timeout",
            paramLabel = "SECONDS",
            converter = Seconds.class,
            defaultValue = "0",
            description = "Close a port that sends nothing for this long; 0 (the default) turns it off.")
    Duration idleTimeout;

    @Option(
            names = "--ageing",
            paramLabel = "SECONDS",
            converter = Seconds.class,
            defaultValue = "300",
            description = "How long a learned MAC address lives without traffic (default: ${DEFAULT-VALUE}).")
    Duration ageing;

    @Option(
            names = "--stats-interval",
            paramLabel = "SECONDS",
            converter = Seconds.class,
            defaultValue = "10",
            description = "Print the counters of the connected ports this often; 0 prints them only on exit"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration statsInterval;

    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        verbosity.apply();
        SwitchOptions options = options();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ListenWarning.of(listen, "the switch", "can plug into it and receive its flooded frames")
                .ifPresent(w -> err.println("ndis4j switch: " + w));
        if (mirror != null) {
            ListenWarning.of(mirror, "the mirror", "can read a copy of every frame the switch forwards")
                    .ifPresent(w -> err.println("ndis4j switch: " + w));
        }
        if (control != null) {
            ListenWarning.of(control, "the control endpoint", "can read the counters and set any port down")
                    .ifPresent(w -> err.println("ndis4j switch: " + w));
        }
        warnIfFileDescriptorsShort(err);
        // The control endpoint listens first: if its port is taken, nothing else has started.
        SwitchResources resources = new SwitchResources();
        ControlServer controlServer = null;
        if (control != null) {
            try {
                controlServer = ControlServer.start(control, List.of(resources));
            } catch (CannotListenException e) {
                return verbosity.fail(err, "ndis4j switch", e, "");
            }
        }
        VirtualSwitch sw;
        try {
            sw = VirtualSwitch.start(listen, options);
        } catch (UncheckedIOException e) { // CannotListenException, or the capture file
            if (controlServer != null) {
                controlServer.close();
            }
            return verbosity.fail(err, "ndis4j switch", e, hint(e));
        }
        List<String> tapLines = new ArrayList<>();
        for (String tap : taps) {
            try {
                tapLines.add("  TAP " + tap + " on port " + sw.attachTap(tap));
            } catch (TapException e) {
                sw.close();
                if (controlServer != null) {
                    controlServer.close();
                }
                return verbosity.fail(err, "ndis4j switch", e, "");
            }
        }
        resources.serve(sw);
        try (StopSignal stop = StopSignal.install()) {
            out.println("ndis4j switch listening on " + Transports.format(sw.localAddress()) + " (Ctrl-C stops)");
            tapLines.forEach(out::println);
            if (sw.mirrorAddress() != null) {
                out.println("  mirror on " + Transports.format(sw.mirrorAddress()));
            }
            if (controlServer != null) {
                out.println("  control endpoint " + controlServer.url());
            }
            if (capture != null) {
                out.println("  capturing to " + capture);
            }
            out.printf(
                    "  output queues of %d B per port (%d B shared), %s; at most %d ports%n",
                    options.queueBytes(),
                    options.bufferBytes(),
                    options.flowControl() ? "flow control (a full port pauses its senders)" : "tail drop",
                    options.maxPorts());
            out.flush();
            long interval = statsInterval.isZero() ? Long.MAX_VALUE / 2 : statsInterval.toNanos();
            while (!stop.await(interval)) {
                printLive(out, sw.statistics());
            }
            if (controlServer != null) {
                controlServer.close();
            }
            sw.close(); // every port closed, capture flushed: the counters are final
            printFinal(out, sw.statistics());
            return stop.exit(ExitCode.SUCCESS);
        }
    }

    private SwitchOptions options() {
        if (ageing.isZero()) {
            throw new ParameterException(spec.commandLine(), "--ageing must be more than 0 seconds");
        }
        for (String tap : taps) {
            try {
                TapWirePort.checkName(tap);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--tap: " + e.getMessage());
            }
        }
        if (force && capture == null) {
            throw new ParameterException(spec.commandLine(), "--force only applies to --capture FILE");
        }
        try {
            return SwitchOptions.DEFAULTS
                    .withMaxFrameLength(maxFrame)
                    .withAgeing(ageing)
                    .withQueueBytes(queueBytes)
                    .withBufferBytes(bufferBytes)
                    .withFlowControl(flowControl)
                    .withMaxPorts(maxPorts)
                    .withPartialFrameTimeout(partialFrameTimeout)
                    .withIdleTimeout(idleTimeout)
                    .withCapture(capture, force)
                    .withMirror(mirror);
        } catch (IllegalArgumentException badOption) {
            throw new ParameterException(spec.commandLine(), badOption.getMessage(), badOption);
        }
    }

    private String hint(RuntimeException e) {
        return e instanceof UncheckedIOException && e.getMessage().endsWith(": File exists")
                ? " (--force replaces it)"
                : "";
    }

    /** Each port needs a file descriptor: say so when the process limit is below what --max-ports allows. */
    private void warnIfFileDescriptorsShort(PrintStream err) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long limit = unix.getMaxFileDescriptorCount();
            long reserve = 64; // the JVM's own files, listeners, the capture
            if (maxPorts + reserve > limit) {
                err.printf(
                        "ndis4j switch: warning: --max-ports %d is above what this process's file descriptor limit"
                                + " (%d, ulimit -n) allows; connections beyond about %d will fail%n",
                        maxPorts, limit, Math.max(0, limit - reserve));
            }
        }
    }

    private void printLive(PrintStream out, SwitchStatistics s) {
        out.printf(
                "after %s: %d ports connected, %d B queued, %d connections refused, %d idle ports closed%n",
                Verbosity.seconds(statsInterval),
                s.connectedPorts(),
                s.bufferedBytes(),
                s.refusedConnections(),
                s.idleClosed());
        for (SwitchPortStatistics p : s.livePorts()) {
            out.println("  " + p);
        }
        for (MirrorStatistics m : s.mirrors()) {
            out.println("  " + m);
        }
        if (s.capture() != null) {
            out.println("  " + s.capture());
        }
        out.flush();
    }

    private static void printFinal(PrintStream out, SwitchStatistics s) {
        out.println("final counters (every port closed):");
        for (SwitchPortStatistics p : s.ports()) {
            out.println("  " + p);
        }
        out.println("  ports that left earlier: " + s.departed());
        out.printf("  %d connections refused, %d idle ports closed%n", s.refusedConnections(), s.idleClosed());
        if (s.capture() != null) {
            out.println(s.capture());
        }
        out.flush();
    }
}
