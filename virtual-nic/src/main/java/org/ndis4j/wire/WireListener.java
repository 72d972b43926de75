package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;

/** The device side of a {@link WirePort}. Called on the wire's thread; must not block. */
public interface WireListener {

    /** A frame arrived. The listener owns it and must release it. */
    void frameReceived(ByteBuf frame);

    /** The end of a burst of {@link #frameReceived} calls: one interrupt per burst is enough. */
    default void receiveComplete() {}

    /** Carrier changed: true when the wire connected, false when it was lost. */
    void carrierChanged(boolean up);
}
