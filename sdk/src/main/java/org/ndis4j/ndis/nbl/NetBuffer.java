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
 * <p>Not thread-safe: whoever owns the NBL (see docs/data-path.md) may touch it. NDIS's engine makes
 * every NET_BUFFER, with its NBL.
 */
public abstract class NetBuffer {

    private NetBuffer next;
    private ByteBuf data;
    private int dataOffset;
    private int dataLength;
    private Object miniportReserved;

    /** For NDIS's engine: a NET_BUFFER over {@code data} (may be null), with no frame yet. */
    protected NetBuffer(ByteBuf data) {
        this.data = data;
    }

    /** NET_BUFFER_NEXT_NB: the next NET_BUFFER of the same NBL, or null. */
    public final NetBuffer next() {
        return next;
    }

    /** NET_BUFFER_FIRST_MDL / NET_BUFFER_CURRENT_MDL: the frame memory; null for an NB without data. */
    public final ByteBuf data() {
        return data;
    }

    /** NET_BUFFER_DATA_OFFSET: where the frame starts in {@link #data()}. */
    public final int dataOffset() {
        return dataOffset;
    }

    /** NET_BUFFER_DATA_LENGTH: the frame's length in bytes. */
    public final int dataLength() {
        return dataLength;
    }

    /**
     * NET_BUFFER_DATA_LENGTH as an lvalue: a receive path sets the length of what the device wrote
     * into a pool buffer. The frame must fit in the buffer.
     */
    public final void setDataLength(int dataLength) {
        checkRange(data, dataOffset, dataLength);
        this.dataLength = dataLength;
    }

    /** NET_BUFFER_MINIPORT_RESERVED: the miniport's slot while it owns the NBL (a TCB, a ring index). */
    public final Object miniportReserved() {
        return miniportReserved;
    }

    public final void setMiniportReserved(Object miniportReserved) {
        this.miniportReserved = miniportReserved;
    }

    /**
     * For NDIS's engine: the NET_BUFFER now describes {@code length} bytes of {@code newData} from
     * absolute index {@code offset}, with no miniport state. The frame must fit the buffer.
     */
    protected final void describe(ByteBuf newData, int offset, int length) {
        checkRange(newData, offset, length);
        data = newData;
        dataOffset = offset;
        dataLength = length;
        next = null;
        miniportReserved = null;
    }

    /** The frame must fit the buffer: one compare when it does (the per-frame case). */
    private static void checkRange(ByteBuf d, int offset, int length) {
        int capacity = d == null ? 0 : d.capacity();
        // (offset | length) >= 0: neither is negative (and the sum, as a long, cannot overflow).
        if ((offset | length) < 0 || (long) offset + length > capacity) {
            throw rangeFailure(d, offset, length);
        }
    }

    private static IllegalArgumentException rangeFailure(ByteBuf d, int offset, int length) {
        if (offset < 0 || length < 0) {
            return new IllegalArgumentException(
                    "NET_BUFFER DataOffset " + offset + " and DataLength " + length + " must not be negative");
        }
        int capacity = d == null ? 0 : d.capacity();
        return new IllegalArgumentException("NET_BUFFER DataOffset " + offset + " + DataLength " + length
                + " exceeds the " + capacity + "-byte " + (d == null ? "(absent) " : "") + "MDL chain");
    }
}
