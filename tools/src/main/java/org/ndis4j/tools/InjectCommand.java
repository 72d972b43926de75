package org.ndis4j.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.ndis4j.tools.endpoint.WireSpec;
import org.ndis4j.tools.pcap.CaptureFormatException;
import org.ndis4j.tools.pcap.CaptureReader;
import org.ndis4j.tools.pcap.CapturedFrame;
import org.ndis4j.wire.EthernetFrames;
import org.ndis4j.wire.IoErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ndis4j inject}: replays the Ethernet frames of a pcap or pcapng file onto a wire. The file
 * is read through once before anything is sent: a malformed or unsupported one is exit 2 with the
 * byte offset of the problem, and nothing reaches the wire. Exit 1 when the peer cannot be reached
 * or goes away during the replay (or the TAP cannot be opened).
 */
@Command(
        name = "inject",
        mixinStandardHelpOptions = true,
        description = {
            "Replays the frames of a capture file onto a wire (TCP in QEMU stream framing, or a Linux TAP,",
            "where the host's own stack receives them): classic pcap (either byte order, µs or ns) or pcapng",
            "(what Wireshark and tshark write), Ethernet link type only.",
            "Frames go as fast as the peer takes them, or --rate frames per second, --loop times over.",
            "A malformed or unsupported file is refused with the byte offset of the problem before",
            "anything is sent."
        })
final class InjectCommand implements Callable<Integer> {

    @Option(
            names = "--wire",
            required = true,
            paramLabel = WireSpec.LABEL,
            converter = WireSpec.Converter.class,
            description = "Connect to a switch or a listening peer, listen for one peer to connect, or write to a"
                    + " Linux TAP device (the host's own stack receives the frames; needs CAP_NET_ADMIN).")
    WireSpec wire;

    @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "The pcap or pcapng file to replay.")
    Path pcap;

    @Option(
            names = "--rate",
            paramLabel = "PPS",
            defaultValue = "0",
            description = "Frames per second; 0 (the default) sends as fast as the peer takes them.")
    long rate;

    @Option(
            names = "--loop",
            paramLabel = "N",
            defaultValue = "1",
            description = "Replay the file N times (default: ${DEFAULT-VALUE}).")
    long loops;

    @Option(
            names = "--link-timeout",
            paramLabel = "MS",
            defaultValue = "10000",
            description = "Milliseconds to wait for the connection (a listener: for the peer); 0 waits for ever"
                    + " when listening (default: ${DEFAULT-VALUE}).")
    long linkTimeoutMillis;

    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    /** What the file holds, from the pass that checks it. */
    private record Contents(String format, long frames, long bytes, long truncated) {}

    @Override
    public Integer call() throws IOException, InterruptedException {
        verbosity.applyQuiet();
        if (rate < 0 || rate > 100_000_000) {
            throw new ParameterException(spec.commandLine(), "--rate must be 0..100000000, not " + rate);
        }
        if (loops < 1 || loops > 1_000_000_000) {
            throw new ParameterException(spec.commandLine(), "--loop must be 1..1000000000, not " + loops);
        }
        if (linkTimeoutMillis < 0 || linkTimeoutMillis > 3_600_000) {
            throw new ParameterException(spec.commandLine(), "--link-timeout must be 0..3600000 ms");
        }
        PrintStream out = System.out;
        Contents contents = check();
        if (contents.frames() == 0) {
            out.println("ndis4j inject: " + pcap + " (" + contents.format() + ") holds no frames: nothing sent");
            return ExitCode.SUCCESS.code();
        }
        if (wire.listen()) {
            ListenWarning.of(wire.address(), "inject", "can connect and receive the frames of " + pcap)
                    .ifPresent(w -> System.err.println("ndis4j inject: " + w));
        }
        long sent = 0;
        long bytes = 0;
        long start;
        long elapsed;
        long refused;
        try (ReplayWire link = open()) {
            start = System.nanoTime();
            long interval = rate == 0 ? 0 : 1_000_000_000L / rate;
            try {
                for (long loop = 0; loop < loops; loop++) {
                    try (CaptureReader reader = CaptureReader.open(pcap)) {
                        for (CapturedFrame f; (f = reader.next()) != null; ) {
                            if (interval != 0) {
                                pace(link, start + sent * interval);
                            }
                            if (link.isPeerGone()) {
                                throw new IOException("the peer closed the connection");
                            }
                            link.send(f.data());
                            sent++;
                            bytes += f.data().length;
                        }
                    }
                }
                link.flush();
                elapsed = System.nanoTime() - start;
                link.finish(Duration.ofSeconds(5));
                refused = link.refused();
            } catch (CaptureFormatException e) {
                // The file changed since it was checked: what was sent stays sent.
                throw new CommandFailedException(
                        ExitCode.USAGE, pcap + ": " + e.getMessage() + " (changed while replayed)", e);
            } catch (IOException e) {
                throw new CommandFailedException(
                        ExitCode.FAILURE,
                        "the peer went away after " + sent + " of " + contents.frames() * loops + " frames: "
                                + IoErrors.reason(e),
                        e);
            }
        }
        double seconds = Math.max(1e-9, elapsed / 1e9);
        out.printf(
                "ndis4j inject: %d frames (%d bytes) from %s (%s)%s to %s in %.3f s, %.0f frames/s%s%s%n",
                sent,
                bytes,
                pcap,
                contents.format(),
                loops > 1 ? ", " + loops + " times" : "",
                wire,
                seconds,
                sent / seconds,
                contents.truncated() > 0
                        ? "; " + contents.truncated() * loops + " were cut short by the capture's snap length and"
                                + " sent as captured"
                        : "",
                refused > 0 ? "; " + refused + " were refused by the TAP (is its interface up?)" : "");
        out.flush();
        return ExitCode.SUCCESS.code();
    }

    /**
     * Reads the whole file once: every frame must be one the wire carries. A problem is exit 2 with
     * its byte offset; nothing has been sent.
     */
    private Contents check() throws IOException {
        if (!Files.isRegularFile(pcap)) {
            throw new CommandFailedException(
                    ExitCode.USAGE,
                    "cannot read " + pcap + ": " + (Files.exists(pcap) ? "not a regular file" : "No such file"));
        }
        try (CaptureReader reader = CaptureReader.open(pcap)) {
            long frames = 0;
            long bytes = 0;
            long truncated = 0;
            for (CapturedFrame f; (f = reader.next()) != null; ) {
                int length = f.data().length;
                if (length < EthernetFrames.HEADER_LENGTH || length > EthernetFrames.DEFAULT_MAX_FRAME_LENGTH) {
                    throw new CommandFailedException(
                            ExitCode.USAGE,
                            pcap + ": offset " + f.offset() + ": a frame of " + length + " bytes; the wire carries "
                                    + EthernetFrames.HEADER_LENGTH + ".." + EthernetFrames.DEFAULT_MAX_FRAME_LENGTH);
                }
                frames++;
                bytes += length;
                if (f.isTruncated()) {
                    truncated++;
                }
            }
            return new Contents(reader.format(), frames, bytes, truncated);
        } catch (CaptureFormatException e) {
            throw new CommandFailedException(ExitCode.USAGE, pcap + ": " + e.getMessage(), e);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw new CommandFailedException(ExitCode.USAGE, "cannot read " + pcap + ": " + IoErrors.reason(e), e);
        }
    }

    /** The wire: a TCP connection (connected, or one peer accepted), or the TAP. */
    private ReplayWire open() {
        if (wire.kind() == WireSpec.Kind.TAP) {
            TapReplayWire tap = TapReplayWire.open(wire.tap());
            System.err.println("ndis4j inject: on TAP " + wire.tap());
            System.err.flush();
            return tap;
        }
        return BlockingWire.open(wire, Duration.ofMillis(linkTimeoutMillis), bound -> {
            System.err.println(
                    "ndis4j inject: listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
            System.err.flush();
        });
    }

    /** Waits until {@code due} (System.nanoTime), putting what is buffered on the wire first. */
    private static void pace(ReplayWire link, long due) throws IOException {
        if (due - System.nanoTime() > 0) {
            link.flush();
            for (long left; (left = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
