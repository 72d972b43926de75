package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.Frame;

/**
 * The other end of the cable, for tests of a NIC: a wire endpoint that sends frames, records every
 * frame it receives, counts both ways, and awaits what a test expects — over TCP in QEMU stream
 * framing (it listens or connects, through {@link TcpWirePort} and its {@link FrameDecoder}), or on
 * any {@link WirePort}, such as the far end of an {@link InMemoryWire}.
 *
 * <pre>
 *   InMemoryWire cable = InMemoryWire.pair();
 *   VirtualNic nic = VirtualNic.builder("nic0", cable.a()).build();
 *   WirePeer peer = WirePeer.on(cable.b());                       // or WirePeer.listen(0) for TCP
 *   peer.send(FrameBuilder.ethernet(nicMac, peerMac).testPattern(60, 1));
 *   Frame out = peer.awaitFrame("the reply", f -&gt; f.isUdp());     // checksums verified
 * </pre>
 *
 * Its awaits are the test kit's ({@link Await}): they wait on the recording itself, and under the
 * kit's JUnit extension a bug check of the test's machine ends them at once. Recording is bounded
 * ({@link #MAX_RECORDED} frames kept; all are counted).
 */
public final class WirePeer implements AutoCloseable {

    /** The most received frames kept. */
    public static final int MAX_RECORDED = 1 << 16;

    private final WirePort port;
    /** Guards the recording below and {@link #cursor}. */
    private final Object lock = new Object();

    private final List<byte[]> received = new ArrayList<>();
    private long framesReceived;
    private long bytesReceived;
    private long framesSent;
    private long bytesSent;
    private long sendsDropped;
    private long carrierChanges;
    /** The first received frame {@link #awaitFrame} has not looked at. */
    private int cursor;

    private volatile boolean carrier;

    private WirePeer(WirePort port) {
        this.port = port;
        port.attach(new Recorder());
    }

    /** A peer on {@code port} (the peer closes it). */
    public static WirePeer on(WirePort port) {
        return new WirePeer(port);
    }

    /** A peer listening on {@code local} (port 0: any free port, see {@link #localAddress()}) for one NIC. */
    public static WirePeer listen(InetSocketAddress local) {
        return new WirePeer(TcpWirePort.listen(local));
    }

    /** A peer that connects to {@code remote} (a NIC's listening wire, a switch), reconnecting when cut. */
    public static WirePeer connect(InetSocketAddress remote) {
        return new WirePeer(TcpWirePort.connect(remote));
    }

    /** The wire underneath. */
    public WirePort port() {
        return port;
    }

    /** The bound address of a listening TCP peer, the local end of a connecting one; null otherwise. */
    public InetSocketAddress localAddress() {
        return port instanceof TcpWirePort tcp ? tcp.localAddress() : null;
    }

    /** True while the wire is connected. */
    public boolean isCarrierUp() {
        return carrier;
    }

    // ---- sending -----------------------------------------------------------------------------

    /** Sends one frame and flushes. False when the wire dropped it (carrier down, back pressure). */
    public boolean send(byte[] frame) {
        return send(List.of(frame)) == 1;
    }

    /** Sends {@code frames} as one burst, one flush; returns how many the wire took. */
    public int send(List<byte[]> frames) {
        int taken = 0;
        long bytes = 0;
        for (byte[] frame : frames) {
            ByteBuf buf = port.alloc().buffer(frame.length);
            buf.writeBytes(frame);
            if (port.send(buf)) {
                taken++;
                bytes += frame.length;
            }
        }
        port.flush();
        synchronized (lock) {
            framesSent += taken;
            bytesSent += bytes;
            sendsDropped += frames.size() - taken;
        }
        return taken;
    }

    // ---- what was received -----------------------------------------------------------------------

    /** Every frame received so far (up to {@link #MAX_RECORDED}), in order. */
    public List<byte[]> received() {
        synchronized (lock) {
            return new ArrayList<>(received);
        }
    }

    public long framesReceived() {
        synchronized (lock) {
            return framesReceived;
        }
    }

    public long bytesReceived() {
        synchronized (lock) {
            return bytesReceived;
        }
    }

    public long framesSent() {
        synchronized (lock) {
            return framesSent;
        }
    }

    public long bytesSent() {
        synchronized (lock) {
            return bytesSent;
        }
    }

    /** Frames {@link #send} offered that the wire dropped. */
    public long sendsDropped() {
        synchronized (lock) {
            return sendsDropped;
        }
    }

    /** How many times the carrier went up or down. */
    public long carrierChanges() {
        synchronized (lock) {
            return carrierChanges;
        }
    }

    // ---- awaits ------------------------------------------------------------------------------

    /**
     * Waits for a received frame that {@code matcher} accepts, looking at frames in order from just
     * after the one the previous call returned, and returns it verified (a bad checksum or length
     * fails the test). Fails after {@link Await#DEFAULT_TIMEOUT}, or at once on a crash.
     */
    public Frame awaitFrame(String what, Predicate<Frame> matcher) {
        return awaitFrame(what, Await.DEFAULT_TIMEOUT, matcher);
    }

    /** The same, waiting up to {@code timeout}. */
    public Frame awaitFrame(String what, Duration timeout, Predicate<Frame> matcher) {
        return Await.value(null, what, timeout, () -> nextMatch(matcher)).verify();
    }

    private Frame nextMatch(Predicate<Frame> matcher) {
        synchronized (lock) {
            while (cursor < received.size()) {
                Frame frame = Frame.parse(received.get(cursor++));
                if (matcher.test(frame)) {
                    return frame;
                }
            }
            return null;
        }
    }

    /** Waits until {@code count} frames in all were received. */
    public void awaitFramesReceived(long count) {
        Await.until(count + " frames received by the wire peer", () -> framesReceived() >= count);
    }

    /** Waits until the carrier is {@code up}. */
    public void awaitCarrier(boolean up) {
        Await.until("the wire peer's carrier " + (up ? "up" : "down"), () -> carrier == up);
    }

    /** Disconnects: the NIC sees carrier down. */
    @Override
    public void close() {
        port.close();
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "WirePeer[" + port.getClass().getSimpleName() + ", rx " + framesReceived + " frames/" + bytesReceived
                    + " B, tx " + framesSent + " frames/" + bytesSent + " B]";
        }
    }

    /** The wire's side: copies each frame and releases it at once (on the wire's thread). */
    private final class Recorder implements WireListener {
        @Override
        public void frameReceived(ByteBuf frame) {
            byte[] bytes;
            try {
                bytes = new byte[frame.readableBytes()];
                frame.getBytes(frame.readerIndex(), bytes);
            } finally {
                frame.release();
            }
            synchronized (lock) {
                framesReceived++;
                bytesReceived += bytes.length;
                if (received.size() < MAX_RECORDED) {
                    received.add(bytes);
                }
            }
            Await.changed();
        }

        @Override
        public void carrierChanged(boolean up) {
            carrier = up;
            synchronized (lock) {
                carrierChanges++;
            }
            Await.changed();
        }
    }
}
