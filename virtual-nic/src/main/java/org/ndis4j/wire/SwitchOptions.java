package org.ndis4j.wire;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Settings of a {@link VirtualSwitch}.
 *
 * @param maxFrameLength      the longest Ethernet frame a port accepts (default 9018: jumbo)
 * @param ageing              how long a learned MAC address stays without being seen (default 300 s)
 * @param macTableCapacity    the most addresses learned at once (default 8192)
 * @param queueBytes          the capacity of each output queue in bytes (default 64 MiB); a frame that
 *                            does not fit is tail-dropped and counted on that port
 * @param bufferBytes         the memory all output queues share (default 256 MiB): however many ports
 *                            are stuck, the switch never queues more; a frame that does not fit is
 *                            dropped and counted as {@link DropReason#BUFFER_FULL}
 * @param flowControl         instead of dropping, stop reading an input while an output it feeds is
 *                            a quarter full (802.3x-like; off by default: one stuck port then stalls every
 *                            sender that floods to it, which is all of them)
 * @param maxPorts            the most ports connected at once (default 256); a connection beyond it
 *                            is accepted and closed at once, logged and counted
 * @param partialFrameTimeout how long a frame may take from its first byte to its last before its
 *                            port is closed ({@link FrameError#STALLED}); zero turns it off (default 30 s)
 * @param idleTimeout         a port that sends nothing for this long is closed; zero (the default)
 *                            turns it off
 * @param capture             a pcap file receiving every frame the switch receives, or null
 * @param replaceCapture      replace an existing capture file (never through a symbolic link)
 * @param mirror              an address where every connection receives a copy of every frame the
 *                            switch forwards (SPAN), or null
 * @param clock               monotonic nanoseconds for ageing and timeouts; injectable so tests need
 *                            not sleep
 */
public record SwitchOptions(
        int maxFrameLength,
        Duration ageing,
        int macTableCapacity,
        int queueBytes,
        long bufferBytes,
        boolean flowControl,
        int maxPorts,
        Duration partialFrameTimeout,
        Duration idleTimeout,
        Path capture,
        boolean replaceCapture,
        InetSocketAddress mirror,
        LongSupplier clock) {

    /** The most ports a switch may be configured for. */
    public static final int MAX_PORTS_LIMIT = 65535;

    /** The largest output queue a port may be configured with (1 GiB). */
    public static final int MAX_QUEUE_BYTES = 1 << 30;

    /** The largest shared buffer a switch may be configured with (64 GiB). */
    public static final long MAX_BUFFER_BYTES = 64L << 30;

    public static final SwitchOptions DEFAULTS = new SwitchOptions(
            EthernetFrames.DEFAULT_MAX_FRAME_LENGTH,
            Duration.ofSeconds(300),
            8192,
            64 * 1024 * 1024,
            256L * 1024 * 1024,
            false,
            256,
            Duration.ofSeconds(30),
            Duration.ZERO,
            null,
            false,
            null,
            System::nanoTime);

    public SwitchOptions {
        EthernetFrames.checkMaxFrameLength(maxFrameLength);
        if (ageing == null || ageing.isNegative() || ageing.isZero()) {
            throw new IllegalArgumentException("ageing time must be positive, was " + ageing);
        }
        int smallest = minimumQueueBytes(maxFrameLength);
        if (queueBytes < smallest || queueBytes > MAX_QUEUE_BYTES) {
            throw new IllegalArgumentException("output queue of " + queueBytes + " bytes is outside " + smallest + ".."
                    + MAX_QUEUE_BYTES + " (it must hold at least one frame of the maximum length)");
        }
        if (bufferBytes < smallest || bufferBytes > MAX_BUFFER_BYTES) {
            throw new IllegalArgumentException("shared buffer of " + bufferBytes + " bytes is outside " + smallest
                    + ".." + MAX_BUFFER_BYTES + " (it must hold at least one frame of the maximum length)");
        }
        if (maxPorts < 1 || maxPorts > MAX_PORTS_LIMIT) {
            throw new IllegalArgumentException(
                    "maximum number of ports " + maxPorts + " is outside 1.." + MAX_PORTS_LIMIT);
        }
        checkTimeout("partial-frame timeout", partialFrameTimeout);
        checkTimeout("idle timeout", idleTimeout);
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
    }

    /** The smallest output queue that holds one frame of {@code maxFrameLength} and its bookkeeping. */
    public static int minimumQueueBytes(int maxFrameLength) {
        return FrameSplitter.PREFIX_LENGTH + maxFrameLength + OutputQueue.WRITE_OVERHEAD;
    }

    private static void checkTimeout(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero (off) or positive, was " + d);
        }
    }

    public SwitchOptions withMaxFrameLength(int value) {
        return toBuilder().maxFrameLength(value).build();
    }

    public SwitchOptions withAgeing(Duration value) {
        return toBuilder().ageing(value).build();
    }

    public SwitchOptions withMacTableCapacity(int value) {
        return toBuilder().macTableCapacity(value).build();
    }

    public SwitchOptions withQueueBytes(int value) {
        return toBuilder().queueBytes(value).build();
    }

    public SwitchOptions withBufferBytes(long value) {
        return toBuilder().bufferBytes(value).build();
    }

    public SwitchOptions withFlowControl(boolean value) {
        return toBuilder().flowControl(value).build();
    }

    public SwitchOptions withMaxPorts(int value) {
        return toBuilder().maxPorts(value).build();
    }

    public SwitchOptions withPartialFrameTimeout(Duration value) {
        return toBuilder().partialFrameTimeout(value).build();
    }

    public SwitchOptions withIdleTimeout(Duration value) {
        return toBuilder().idleTimeout(value).build();
    }

    /** Captures to {@code file}; {@code replace} allows an existing file to be replaced (never through a symlink). */
    public SwitchOptions withCapture(Path file, boolean replace) {
        return toBuilder().capture(file).replaceCapture(replace).build();
    }

    /** Captures to a new file: the switch refuses to start if {@code file} exists. */
    public SwitchOptions withCapture(Path file) {
        return withCapture(file, false);
    }

    public SwitchOptions withMirror(InetSocketAddress value) {
        return toBuilder().mirror(value).build();
    }

    public SwitchOptions withClock(LongSupplier value) {
        return toBuilder().clock(value).build();
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /** The withers' one place to copy every field: each changes one and builds (validating) again. */
    private static final class Builder {
        private int maxFrameLength;
        private Duration ageing;
        private int macTableCapacity;
        private int queueBytes;
        private long bufferBytes;
        private boolean flowControl;
        private int maxPorts;
        private Duration partialFrameTimeout;
        private Duration idleTimeout;
        private Path capture;
        private boolean replaceCapture;
        private InetSocketAddress mirror;
        private LongSupplier clock;

        Builder(SwitchOptions o) {
            maxFrameLength = o.maxFrameLength;
            ageing = o.ageing;
            macTableCapacity = o.macTableCapacity;
            queueBytes = o.queueBytes;
            bufferBytes = o.bufferBytes;
            flowControl = o.flowControl;
            maxPorts = o.maxPorts;
            partialFrameTimeout = o.partialFrameTimeout;
            idleTimeout = o.idleTimeout;
            capture = o.capture;
            replaceCapture = o.replaceCapture;
            mirror = o.mirror;
            clock = o.clock;
        }

        Builder maxFrameLength(int v) {
            maxFrameLength = v;
            return this;
        }

        Builder ageing(Duration v) {
            ageing = v;
            return this;
        }

        Builder macTableCapacity(int v) {
            macTableCapacity = v;
            return this;
        }

        Builder queueBytes(int v) {
            queueBytes = v;
            return this;
        }

        Builder bufferBytes(long v) {
            bufferBytes = v;
            return this;
        }

        Builder flowControl(boolean v) {
            flowControl = v;
            return this;
        }

        Builder maxPorts(int v) {
            maxPorts = v;
            return this;
        }

        Builder partialFrameTimeout(Duration v) {
            partialFrameTimeout = v;
            return this;
        }

        Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        Builder capture(Path v) {
            capture = v;
            return this;
        }

        Builder replaceCapture(boolean v) {
            replaceCapture = v;
            return this;
        }

        Builder mirror(InetSocketAddress v) {
            mirror = v;
            return this;
        }

        Builder clock(LongSupplier v) {
            clock = v;
            return this;
        }

        SwitchOptions build() {
            return new SwitchOptions(
                    maxFrameLength,
                    ageing,
                    macTableCapacity,
                    queueBytes,
                    bufferBytes,
                    flowControl,
                    maxPorts,
                    partialFrameTimeout,
                    idleTimeout,
                    capture,
                    replaceCapture,
                    mirror,
                    clock);
        }
    }
}
