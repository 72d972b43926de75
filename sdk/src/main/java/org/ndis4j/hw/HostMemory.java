package org.ndis4j.hw;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link BusMemory} backed by host heap memory. Physical addresses are handed out page-aligned from
 * a bump pointer and never reused, so a stale address can never alias a new block.
 */
public final class HostMemory implements BusMemory {

    private static final long PAGE = 4096;
    private static final long FIRST_ADDRESS = 0x1_0000_0000L; // above 4 GiB: catches 32-bit truncation

    private final long capacity;
    private final AtomicLong nextAddress = new AtomicLong(FIRST_ADDRESS);
    private final AtomicLong allocated = new AtomicLong();
    /** Guards nothing by itself: a concurrent map from a block's first address to the block. */
    private final ConcurrentSkipListMap<Long, SharedMemory> blocks = new ConcurrentSkipListMap<>();

    /** A bus with {@code capacity} bytes of memory. */
    public HostMemory(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** A bus with 64 MiB of memory. */
    public HostMemory() {
        this(64L << 20);
    }

    @Override
    public SharedMemory allocate(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("length must be positive: " + length);
        }
        if (allocated.addAndGet(length) > capacity) {
            allocated.addAndGet(-length);
            return null;
        }
        long span = (length + PAGE - 1) / PAGE * PAGE;
        long address = nextAddress.getAndAdd(span);
        SharedMemory block = new SharedMemory(address, Unpooled.buffer(length, length), length);
        block.virtualAddress().writerIndex(length);
        blocks.put(address, block);
        return block;
    }

    @Override
    public void free(SharedMemory block) {
        if (!blocks.remove(block.physicalAddress(), block)) {
            throw new IllegalArgumentException(
                    "not an allocated block: 0x" + Long.toHexString(block.physicalAddress()));
        }
        allocated.addAndGet(-block.length());
        block.virtualAddress().release();
    }

    @Override
    public ByteBuf map(long physicalAddress, int length) {
        Map.Entry<Long, SharedMemory> entry = blocks.floorEntry(physicalAddress);
        if (entry == null || length < 0
                || physicalAddress + length > entry.getKey() + entry.getValue().length()) {
            throw new IllegalArgumentException("DMA outside allocated memory: 0x"
                    + Long.toHexString(physicalAddress) + " length " + length);
        }
        int offset = (int) (physicalAddress - entry.getKey());
        return entry.getValue().virtualAddress().slice(offset, length);
    }

    @Override
    public long allocatedBytes() {
        return allocated.get();
    }
}
