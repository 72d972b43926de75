package org.ndis4j.nic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.wire.WireListener;
import org.ndis4j.wire.WirePort;

/** The far end of a NIC's wire: records what arrives (copied, then released) and sends frames. */
final class WirePeer implements WireListener {

    final WirePort port;
    final List<byte[]> frames = new CopyOnWriteArrayList<>();
    final AtomicInteger bursts = new AtomicInteger();
    final List<Boolean> carrierChanges = new CopyOnWriteArrayList<>();

    WirePeer(WirePort port) {
        this.port = port;
        port.attach(this);
    }

    @Override
    public void frameReceived(ByteBuf frame) {
        try {
            frames.add(ByteBufUtil.getBytes(frame));
        } finally {
            frame.release();
        }
    }

    @Override
    public void receiveComplete() {
        bursts.incrementAndGet();
    }

    @Override
    public void carrierChanged(boolean up) {
        carrierChanges.add(up);
    }

    /** Sends frames as one burst: one flush. Returns how many the wire took. */
    int send(byte[]... burst) {
        int taken = 0;
        for (byte[] bytes : burst) {
            ByteBuf frame = port.alloc().buffer(bytes.length);
            frame.writeBytes(bytes);
            if (port.send(frame)) {
                taken++;
            }
        }
        port.flush();
        return taken;
    }
}
