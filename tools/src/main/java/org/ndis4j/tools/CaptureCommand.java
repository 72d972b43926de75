package org.ndis4j.tools;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ndis4j.tools.endpoint.WireSpec;
import org.ndis4j.wire.IoErrors;
import org.ndis4j.wire.PcapWriter;
import org.ndis4j.wire.WireListener;
import org.ndis4j.wire.WirePort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ndis4j capture}: takes one end of a wire and writes every frame that arrives to a pcap
 * file, with the switch's capture-file rules ({@link PcapWriter}: a new file unless {@code --force},
 * never through a symbolic link). Ends after {@code --count} frames, on Ctrl-C or SIGTERM (exit 0),
 * or when the peer goes (exit 1); the file is complete in every case.
 */
@Command(
        name = "capture",
        mixinStandardHelpOptions = true,
        description = {
            "Connects to a wire (or listens for one peer) in QEMU stream framing and writes every frame",
            "that arrives to a pcap file (classic pcap, ns timestamps). On a switch's --mirror listener it",
            "sees every frame the switch forwards; on a plain switch port only floods and frames to itself.",
            "Stops after --count frames or on Ctrl-C/SIGTERM (exit 0), or when the peer goes (exit 1)."
        })
final class CaptureCommand implements Callable<Integer> {

    @Option(
            names = "--wire",
            required = true,
            paramLabel = WireSpec.LABEL,
            converter = WireSpec.Converter.class,
            description =
                    "Connect to a switch's mirror or port (or any listening peer), listen for a peer, or open a TAP.")
    WireSpec wire;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "The pcap file to write (a new file; see --force).")
    Path out;

    @Option(
            names = "--force",
            description = "Replace an existing file. A symbolic link is never followed, --force or not.")
    boolean force;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "0",
            description = "Stop after N frames; 0 (the default) captures until stopped.")
    long count;

    @Option(
            names = "--link-timeout",
            paramLabel = "MS",
            defaultValue = "10000",
            description = "Milliseconds to wait for the connection (a listener: for the peer); 0 waits for ever"
                    + " (default: ${DEFAULT-VALUE}).")
    long linkTimeoutMillis;

    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        verbosity.applyQuiet();
        if (count < 0) {
            throw new ParameterException(spec.commandLine(), "--count must be 0 or more, not " + count);
        }
        if (linkTimeoutMillis < 0 || linkTimeoutMillis > 3_600_000) {
            throw new ParameterException(spec.commandLine(), "--link-timeout must be 0..3600000 ms");
        }
        PrintStream stdout = System.out;
        PrintStream err = System.err;
        if (wire.listen()) {
            ListenWarning.of(wire.address(), "capture", "can connect and have its frames written to " + out)
                    .ifPresent(w -> err.println("ndis4j capture: " + w));
        }
        try (StopSignal stop = StopSignal.install()) {
            return capture(stop, stdout, err);
        }
    }

    private int capture(StopSignal stop, PrintStream stdout, PrintStream err) throws InterruptedException {
        // A listener binds first: a busy address leaves no file behind. A client dials once the file
        // is open and is attached at once, so that no frame arrives before there is somewhere to put it.
        WirePort port = wire.listen() ? wire.open() : null;
        PcapWriter writer;
        try {
            writer = PcapWriter.open(out, PcapWriter.DEFAULT_SNAPLEN, force);
        } catch (IOException e) {
            if (port != null) {
                port.close();
            }
            String hint = IoErrors.reason(e).equals("File exists") ? " (--force replaces it)" : "";
            throw new CommandFailedException(
                    ExitCode.FAILURE, "cannot capture to " + out + ": " + IoErrors.reason(e) + hint, e);
        }
        Recorder recorder = new Recorder(writer, count, stop);
        if (port == null) {
            port = wire.open();
        }
        try {
            port.attach(recorder);
            if (wire.listen()) {
                err.println("ndis4j capture: " + wire.opened(port));
            }
            if (awaitLink(recorder.linkUp, stop)) {
                err.println("ndis4j capture: capturing from " + wire + " to " + out
                        + (count > 0 ? " until " + count + " frames" : "") + " (Ctrl-C stops)");
                err.flush();
                stop.await(Long.MAX_VALUE);
            } else if (!stop.await(0)) {
                throw new CommandFailedException(
                        ExitCode.FAILURE, "no connection on " + wire + " after " + linkTimeoutMillis + " ms");
            }
        } finally {
            recorder.closing = true; // the carrier going down now is our doing, not the peer's
            port.close(); // no frame arrives after this: the writer can finish
            finish(writer);
        }
        stdout.printf(
                "ndis4j capture: %d frames written to %s, %d not captured (the disk was behind)%n",
                writer.framesWritten(), out, writer.framesDropped());
        stdout.flush();
        if (recorder.peerGone) {
            stop.exit(ExitCode.FAILURE);
            throw new CommandFailedException(
                    ExitCode.FAILURE,
                    "the peer closed the wire after " + writer.framesWritten() + " frames (" + out + " is complete)");
        }
        return stop.exit(ExitCode.SUCCESS);
    }

    /** True once the link is up; false when --link-timeout passed or a stop was asked for first. */
    private boolean awaitLink(CountDownLatch linkUp, StopSignal stop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(linkTimeoutMillis);
        // In slices, so that Ctrl-C is heard while waiting (the signal and the wire have no common latch).
        while (!linkUp.await(100, TimeUnit.MILLISECONDS)) {
            if (stop.await(0) || (linkTimeoutMillis != 0 && System.nanoTime() - deadline >= 0)) {
                return false;
            }
        }
        return true;
    }

    private void finish(PcapWriter writer) {
        try {
            writer.close();
        } catch (IOException e) {
            throw new CommandFailedException(ExitCode.FAILURE, "cannot finish " + out + ": " + IoErrors.reason(e), e);
        }
        if (writer.failure() != null) {
            throw new CommandFailedException(ExitCode.FAILURE, "capture to " + out + " failed: " + writer.failure());
        }
    }

    /** On the wire's thread: each frame to the file until the count; the carrier to the latches. */
    private static final class Recorder implements WireListener {
        private final PcapWriter writer;
        private final long limit;
        private final StopSignal stop;
        final CountDownLatch linkUp = new CountDownLatch(1);
        /** Wire-thread confined: frames that arrived. */
        private long frames;

        volatile boolean peerGone;
        volatile boolean closing;

        Recorder(PcapWriter writer, long limit, StopSignal stop) {
            this.writer = writer;
            this.limit = limit;
            this.stop = stop;
        }

        @Override
        public void frameReceived(ByteBuf frame) {
            try {
                long n = ++frames;
                if (limit > 0 && n > limit) {
                    return; // the count is reached: the command is closing the wire
                }
                writer.write(frame, frame.readerIndex(), frame.readableBytes());
                if (n == limit) {
                    closing = true;
                    stop.stop();
                }
            } finally {
                frame.release();
            }
        }

        @Override
        public void carrierChanged(boolean up) {
            if (up) {
                linkUp.countDown();
            } else if (linkUp.getCount() == 0 && !closing) {
                peerGone = true;
                stop.stop();
            }
        }
    }
}
