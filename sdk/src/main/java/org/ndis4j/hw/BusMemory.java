package org.ndis4j.hw;

import io.netty.buffer.ByteBuf;

/**
 * The memory a bus-master device reaches by physical address. NDIS allocates shared memory from it
 * for a miniport; the device model maps descriptor and buffer addresses through it.
 */
public interface BusMemory {

    /** Allocates a zeroed block of {@code length} bytes, or returns null when the bus has no memory left. */
    SharedMemory allocate(int length);

    /** Frees a block returned by {@link #allocate(int)}. */
    void free(SharedMemory block);

    /**
     * The device's view of {@code length} bytes at {@code physicalAddress}: a slice of the block that
     * holds them (no copy, not retained).
     *
     * @throws IllegalArgumentException when the range is not inside one allocated block (a DMA to a
     *                                  bad address: the device model turns it into an error counter)
     */
    ByteBuf map(long physicalAddress, int length);

    /**
     * A DMA read by the device: appends {@code length} bytes at {@code physicalAddress} to {@code dst}.
     *
     * @throws IllegalArgumentException when the range is not inside one allocated block
     */
    default void readInto(long physicalAddress, ByteBuf dst, int length) {
        dst.writeBytes(map(physicalAddress, length), 0, length);
    }

    /**
     * A DMA write by the device: copies {@code length} bytes of {@code src} from {@code srcIndex} to
     * {@code physicalAddress}.
     *
     * @throws IllegalArgumentException when the range is not inside one allocated block
     */
    default void writeFrom(long physicalAddress, ByteBuf src, int srcIndex, int length) {
        map(physicalAddress, length).setBytes(0, src, srcIndex, length);
    }

    /** Bytes currently allocated, for leak accounting at halt. */
    long allocatedBytes();
}
