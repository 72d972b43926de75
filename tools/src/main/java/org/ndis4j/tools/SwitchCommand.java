package org.ndis4j.tools;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ndis4j.wire.EthernetFrames;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.SwitchPortStatistics;
import org.ndis4j.wire.VirtualSwitch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ndis4j switch}: runs a virtual L2 switch until Ctrl-C or SIGTERM. */
@Command(
        name = "switch",
        mixinStandardHelpOptions = true,
        description = {
            "Runs an L2 learning switch whose ports are TCP connections in QEMU stream framing",
            "(4-byte big-endian length, then the Ethernet frame). Runs until Ctrl-C or SIGTERM,",
            "then prints the port counters."
        })
final class SwitchCommand implements Callable<Integer> {

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            converter = HostPort.class,
            defaultValue = "127.0.0.1:5555",
            description =
                    "Address to accept ports on (default: ${DEFAULT-VALUE}). Loopback unless you name another address.")
    InetSocketAddress listen;

    @Option(
            names = "--capture",
            paramLabel = "FILE",
            description = "Write every frame the switch receives to this pcap file.")
    Path capture;

    @Option(
            names = "--max-frame",
            paramLabel = "BYTES",
            defaultValue = "" + EthernetFrames.DEFAULT_MAX_FRAME_LENGTH,
            description =
                    "Longest Ethernet frame accepted, without FCS (default: ${DEFAULT-VALUE}); a longer one closes its port.")
    int maxFrame;

    @Option(
            names = "--ageing",
            paramLabel = "SECONDS",
            defaultValue = "300",
            description = "Seconds a learned MAC address lives without traffic (default: ${DEFAULT-VALUE}).")
    long ageingSeconds;

    @Option(
            names = "--stats-interval",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description =
                    "Print port counters every so many seconds; 0 prints them only on exit (default: ${DEFAULT-VALUE}).")
    long statsSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        SwitchOptions options;
        try {
            options = SwitchOptions.DEFAULTS
                    .withMaxFrameLength(maxFrame)
                    .withAgeing(Duration.ofSeconds(ageingSeconds))
                    .withCapture(capture);
        } catch (IllegalArgumentException badOption) {
            throw new ParameterException(spec.commandLine(), badOption.getMessage(), badOption);
        }
        PrintStream out = System.out;
        VirtualSwitch sw;
        try {
            sw = VirtualSwitch.start(listen, options);
        } catch (RuntimeException cannotListen) {
            System.err.println("ndis4j switch: cannot listen on " + format(listen) + ": " + cannotListen.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch reported = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stopped.countDown();
                            try {
                                printPorts(out, sw, "final");
                                sw.close();
                                if (capture != null) {
                                    out.printf(
                                            "capture %s: %d frames written, %d missed%n",
                                            capture, sw.captureCounts()[0], sw.captureCounts()[1]);
                                }
                            } finally {
                                reported.countDown();
                            }
                        },
                        "ndis4j-switch-shutdown"));
        out.println("ndis4j switch listening on " + format(sw.localAddress())
                + (capture != null ? ", capturing to " + capture : "") + " (Ctrl-C stops)");
        out.flush();
        while (!stopped.await(statsSeconds > 0 ? statsSeconds : Long.MAX_VALUE / 2, TimeUnit.SECONDS)) {
            printPorts(out, sw, "after " + statsSeconds + " s");
        }
        reported.await();
        return 0;
    }

    private static void printPorts(PrintStream out, VirtualSwitch sw, String when) {
        out.println("ports (" + when + "):");
        for (SwitchPortStatistics p : sw.ports()) {
            out.println("  " + p);
        }
        out.flush();
    }

    private static String format(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
