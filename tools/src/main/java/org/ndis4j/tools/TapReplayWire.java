package org.ndis4j.tools;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ndis4j.wire.DropReason;
import org.ndis4j.wire.TapException;
import org.ndis4j.wire.TapWirePort;
import org.ndis4j.wire.TrafficStatistics;
import org.ndis4j.wire.WireListener;

/**
 * {@code ndis4j inject --wire tap:IFNAME}: frames written to a Linux TAP, so the kernel receives them
 * on the interface. A {@link TapWirePort} drops what its bounded queue cannot take, as a NIC's wire
 * should; a replay must not, so at most {@link #WINDOW} frames are handed to the port and not yet
 * written (or refused) by it, and a frame the queue still turns away is sent again once there is
 * room. What Linux sends back out of the interface is read and released.
 *
 * <pre>
 *   inject ─send─▶ [ ≤ WINDOW frames in flight ] ─write(2)─▶ tapN ─▶ Linux stack
 *                  settled = written + refused (EIO) + turned away (queue full)
 * </pre>
 */
final class TapReplayWire implements ReplayWire {

    /** Frames in flight at most: 256 jumbo frames (2.3 MB) stay inside the port's 4 MB queue. */
    static final int WINDOW = 256;

    /** A TAP that writes nothing for this long is stuck. */
    static final Duration STALL = Duration.ofSeconds(10);

    private final TapWirePort port;
    /** Frames handed to the port, each try counted (a frame turned away and sent again counts twice). */
    private long attempts;

    private TapReplayWire(TapWirePort port) {
        this.port = port;
    }

    /**
     * Opens (or creates) the TAP {@code name}.
     *
     * @throws TapException when it cannot be opened (one line: why)
     */
    static TapReplayWire open(String name) {
        TapWirePort port = TapWirePort.open(name);
        port.attach(new WireListener() {
            @Override
            public void frameReceived(ByteBuf frame) {
                frame.release(); // Linux's answers: a replay does not read them
            }

            @Override
            public void carrierChanged(boolean up) {}
        });
        return new TapReplayWire(port);
    }

    @Override
    public void send(byte[] frame) throws IOException {
        for (; ; ) {
            if (attempts - settled() >= WINDOW) {
                awaitInFlightBelow(WINDOW / 2, STALL); // half a window written: batches, not a frame at a time
            }
            ByteBuf buffer = port.alloc().directBuffer(frame.length).writeBytes(frame);
            attempts++;
            if (port.send(buffer)) {
                if (attempts % (WINDOW / 2) == 0) {
                    port.flush(); // keep the loop writing while the next half window is queued
                }
                return;
            }
            if (isPeerGone()) {
                throw new IOException("the TAP " + port.interfaceName() + " went away");
            }
            port.flush(); // turned away by a full queue: send it again once the port has written some
        }
    }

    @Override
    public void flush() {
        port.flush();
    }

    @Override
    public boolean isPeerGone() {
        return !port.isCarrierUp();
    }

    @Override
    public void finish(Duration linger) throws IOException {
        port.flush();
        awaitInFlightBelow(1, linger);
    }

    @Override
    public long refused() {
        return port.statistics().drops(DropReason.CARRIER_DOWN);
    }

    /** Waits, flushing, until fewer than {@code limit} frames are in flight; a TAP that writes nothing for {@code stall} fails. */
    private void awaitInFlightBelow(long limit, Duration stall) throws IOException {
        long deadline = System.nanoTime() + stall.toNanos();
        long settled = settled();
        while (attempts - settled >= limit) {
            if (isPeerGone()) {
                throw new IOException("the TAP " + port.interfaceName() + " went away");
            }
            port.flush();
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
            long now = settled();
            if (now != settled) {
                settled = now;
                deadline = System.nanoTime() + stall.toNanos();
            } else if (System.nanoTime() - deadline > 0) {
                throw new IOException(
                        "the TAP " + port.interfaceName() + " took no frame for " + stall.toMillis() + " ms");
            }
        }
    }

    /** Frames the port is done with: written, refused by the kernel, or turned away by the full queue. */
    private long settled() {
        TrafficStatistics s = port.statistics();
        return s.txFrames() + s.drops(DropReason.CARRIER_DOWN) + s.drops(DropReason.BACKPRESSURE);
    }

    @Override
    public void close() {
        port.close();
    }
}
