package org.ndis4j.ndis.internal;

import io.netty.buffer.ByteBuf;
import org.ndis4j.ndis.nbl.NetBuffer;

/**
 * NDIS's NET_BUFFER: one per NBL of a pool with fAllocateNetBuffer. With a DataSize the pool gives
 * it frame memory for the pool's lifetime; otherwise it carries the caller's ByteBuf, whose one
 * reference it holds until NdisFreeNetBufferList.
 */
final class Nb extends NetBuffer {

    /** The frame memory the pool gave this NET_BUFFER for the pool's lifetime, or null. */
    final ByteBuf poolData;

    Nb(ByteBuf poolData) {
        super(poolData);
        this.poolData = poolData;
    }

    /** Attaches caller data (the reference is transferred) or, with null, the pool's own buffer. */
    void attach(ByteBuf callerData, int offset, int length) {
        describe(callerData != null ? callerData : poolData, offset, length);
    }

    /** On NdisFreeNetBufferList: releases caller data, goes back to the pool's buffer. */
    void detach() {
        ByteBuf d = data();
        describe(poolData, 0, 0);
        if (d != null && d != poolData) {
            d.release();
        }
    }

    /** Releases the pool's buffer (NdisFreeNetBufferListPool, or the machine went down). */
    void releasePoolData() {
        if (poolData != null && poolData.refCnt() > 0) {
            poolData.release();
        }
    }
}
