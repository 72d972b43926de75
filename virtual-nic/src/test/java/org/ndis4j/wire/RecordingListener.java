package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A device stand-in: copies and releases every frame, records carrier changes. */
final class RecordingListener implements WireListener {

    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<Boolean> carrier = new LinkedBlockingQueue<>();

    @Override
    public void frameReceived(ByteBuf frame) {
        try {
            frames.add(ByteBufUtil.getBytes(frame));
        } finally {
            frame.release();
        }
    }

    @Override
    public void carrierChanged(boolean up) {
        carrier.add(up);
    }

    /** Waits for the next carrier change and checks it is {@code up}. */
    void awaitCarrier(boolean up, Duration timeout) throws InterruptedException {
        Boolean next = carrier.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null || next != up) {
            throw new AssertionError(
                    "expected carrier " + (up ? "up" : "down") + " within " + timeout + ", got " + next);
        }
    }

    byte[] awaitFrame(Duration timeout) throws InterruptedException {
        byte[] f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no frame within " + timeout);
        }
        return f;
    }
}
