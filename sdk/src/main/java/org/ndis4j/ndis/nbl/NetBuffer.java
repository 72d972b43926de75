package org.ndis4j.ndis.nbl;

import io.netty.buffer.ByteBuf;

/**
 * NET_BUFFER: one frame's data inside a {@link NetBufferList}. The MDL chain of C is a Netty
 * {@link ByteBuf}; {@code dataOffset} and {@code dataLength} are absolute indexes into it (its
 * reader and writer indexes mean nothing to NDIS).
 *
 * <pre>
 *   data(): ByteBuf  (the "MDL chain", pooled and reference-counted)
 *   ┌──────────────┬──────────────────────────────┬──────────────┐
 *   │ unused space │ frame: dataLength bytes       │ unused       │
 *   └──────────────┴──────────────────────────────┴──────────────┘
 *   0          dataOffset                 dataOffset+dataLength   capacity()
 * </pre>
 *
 * <p>Who releases the ByteBuf: a buffer handed to {@code Ndis.allocateNetBufferAndNetBufferList}
 * belongs to the NET_BUFFER from then on (its one reference is transferred, as Netty passes
 * messages) and {@code Ndis.freeNetBufferList} releases it. A pool created with a DataSize gives
 * each NET_BUFFER its own buffer for the pool's lifetime, reused across allocations and released
 * by {@code Ndis.freeNetBufferListPool}. A driver that wants to keep the bytes longer (a transmit
 * ring) takes its own reference ({@code retainedSlice}); it never copies to keep them.
 *
 * <p>Not thread-safe: whoever owns the NBL (see docs/data-path.md) may touch it.
 */
public final class NetBuffer {

    /** The frame memory the pool gave this NET_BUFFER for the pool's lifetime, or null. */
    final ByteBuf poolData;

    private NetBuffer next;
    private ByteBuf data;
    private int dataOffset;
    private int dataLength;
    private Object miniportReserved;

    NetBuffer(ByteBuf poolData) {
        this.poolData = poolData;
        this.data = poolData;
    }

    /** NET_BUFFER_NEXT_NB: the next NET_BUFFER of the same NBL, or null. */
    public NetBuffer next() {
        return next;
    }

    /** NET_BUFFER_FIRST_MDL / NET_BUFFER_CURRENT_MDL: the frame memory; null for an NB without data. */
    public ByteBuf data() {
        return data;
    }

    /** NET_BUFFER_DATA_OFFSET: where the frame starts in {@link #data()}. */
    public int dataOffset() {
        return dataOffset;
    }

    /** NET_BUFFER_DATA_LENGTH: the frame's length in bytes. */
    public int dataLength() {
        return dataLength;
    }

    /**
     * NET_BUFFER_DATA_LENGTH as an lvalue: a receive path sets the length of what the device wrote
     * into a pool buffer. The frame must fit in the buffer.
     */
    public void setDataLength(int dataLength) {
        checkRange(data, dataOffset, dataLength);
        this.dataLength = dataLength;
    }

    /** NET_BUFFER_MINIPORT_RESERVED: the miniport's slot while it owns the NBL (a TCB, a ring index). */
    public Object miniportReserved() {
        return miniportReserved;
    }

    public void setMiniportReserved(Object miniportReserved) {
        this.miniportReserved = miniportReserved;
    }

    /** Attaches caller data (the reference is transferred) or, with null, the pool's own buffer. */
    void attach(ByteBuf callerData, int offset, int length) {
        ByteBuf d = callerData != null ? callerData : poolData;
        checkRange(d, offset, length);
        data = d;
        dataOffset = offset;
        dataLength = length;
        next = null;
        miniportReserved = null;
    }

    /** On NdisFreeNetBufferList: releases caller data, goes back to the pool's buffer. */
    void detach() {
        ByteBuf d = data;
        data = poolData;
        dataOffset = 0;
        dataLength = 0;
        miniportReserved = null;
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

    static void checkRange(ByteBuf d, int offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(
                    "NET_BUFFER DataOffset " + offset + " and DataLength " + length + " must not be negative");
        }
        int capacity = d == null ? 0 : d.capacity();
        if ((long) offset + length > capacity) {
            throw new IllegalArgumentException("NET_BUFFER DataOffset " + offset + " + DataLength " + length
                    + " exceeds the " + capacity + "-byte " + (d == null ? "(absent) " : "") + "MDL chain");
        }
    }
}
