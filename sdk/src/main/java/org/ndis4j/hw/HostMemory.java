package org.ndis4j.hw;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link BusMemory} backed by host heap memory. Physical addresses are handed out page-aligned from
 * a bump pointer and never reused, so a stale address can never alias a new block.
 *
 * <p>Lookups by address (every DMA) read an immutable, sorted snapshot of the blocks with a binary
 * search on primitive longs: no lock and no allocation per frame. Allocation and free, which are
 * rare, copy the snapshot.
 */
public final class HostMemory implements BusMemory {

    private static final long PAGE = 4096;
    private static final long FIRST_ADDRESS = 0x1_0000_0000L; // above 4 GiB: catches 32-bit truncation

    /** The blocks, sorted by address; replaced whole under {@code this}. */
    private record Snapshot(long[] addresses, SharedMemory[] blocks) {}

    private final long capacity;
    private final AtomicLong allocated = new AtomicLong();
    private long nextAddress = FIRST_ADDRESS; // guarded by this
    private volatile Snapshot snapshot = new Snapshot(new long[0], new SharedMemory[0]);

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
        synchronized (this) {
            long address = nextAddress;
            nextAddress += (length + PAGE - 1) / PAGE * PAGE;
            SharedMemory block = new SharedMemory(address, Unpooled.buffer(length, length), length);
            block.virtualAddress().writerIndex(length);
            Snapshot old = snapshot;
            int n = old.addresses().length; // addresses only grow: the new block goes last
            long[] addresses = Arrays.copyOf(old.addresses(), n + 1);
            SharedMemory[] blocks = Arrays.copyOf(old.blocks(), n + 1);
            addresses[n] = address;
            blocks[n] = block;
            snapshot = new Snapshot(addresses, blocks);
            return block;
        }
    }

    @Override
    public void free(SharedMemory block) {
        synchronized (this) {
            Snapshot old = snapshot;
            int i = Arrays.binarySearch(old.addresses(), block.physicalAddress());
            if (i < 0 || old.blocks()[i] != block) {
                throw new IllegalArgumentException(
                        "not an allocated block: 0x" + Long.toHexString(block.physicalAddress()));
            }
            int n = old.addresses().length;
            long[] addresses = new long[n - 1];
            SharedMemory[] blocks = new SharedMemory[n - 1];
            System.arraycopy(old.addresses(), 0, addresses, 0, i);
            System.arraycopy(old.addresses(), i + 1, addresses, i, n - i - 1);
            System.arraycopy(old.blocks(), 0, blocks, 0, i);
            System.arraycopy(old.blocks(), i + 1, blocks, i, n - i - 1);
            snapshot = new Snapshot(addresses, blocks);
        }
        allocated.addAndGet(-block.length());
        block.virtualAddress().release();
    }

    @Override
    public ByteBuf map(long physicalAddress, int length) {
        SharedMemory block = blockOf(physicalAddress, length);
        return block.virtualAddress().slice((int) (physicalAddress - block.physicalAddress()), length);
    }

    @Override
    public void readInto(long physicalAddress, ByteBuf dst, int length) {
        SharedMemory block = blockOf(physicalAddress, length);
        ByteBuf memory = block.virtualAddress();
        int offset = (int) (physicalAddress - block.physicalAddress());
        if (memory.hasArray()) {
            // From the array itself: a direct destination's writeBytes(ByteBuf) would wrap the source
            // in a new NIO buffer per frame. array() checks the reference count; blockOf the range.
            dst.writeBytes(memory.array(), memory.arrayOffset() + offset, length);
        } else {
            dst.writeBytes(memory, offset, length);
        }
    }

    @Override
    public void writeFrom(long physicalAddress, ByteBuf src, int srcIndex, int length) {
        SharedMemory block = blockOf(physicalAddress, length);
        block.virtualAddress().setBytes((int) (physicalAddress - block.physicalAddress()), src, srcIndex, length);
    }

    @Override
    public long allocatedBytes() {
        return allocated.get();
    }

    /** The block holding {@code [physicalAddress, physicalAddress + length)}. */
    private SharedMemory blockOf(long physicalAddress, int length) {
        Snapshot s = snapshot;
        int i = Arrays.binarySearch(s.addresses(), physicalAddress);
        if (i < 0) {
            i = -i - 2; // the block that starts before the address
        }
        // Compared as an offset into the block: an end address could wrap past 2^63.
        if (i < 0 || length < 0 || physicalAddress - s.addresses()[i] > s.blocks()[i].length() - (long) length) {
            throw new IllegalArgumentException(
                    "DMA outside allocated memory: 0x" + Long.toHexString(physicalAddress) + " length " + length);
        }
        return s.blocks()[i];
    }
}
