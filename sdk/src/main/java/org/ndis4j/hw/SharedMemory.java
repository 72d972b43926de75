package org.ndis4j.hw;

import io.netty.buffer.ByteBuf;

/**
 * A block of memory that both the driver and a bus-master device reach: what
 * NdisMAllocateSharedMemory returns as VirtualAddress and PhysicalAddress.
 *
 * <p>The driver reads and writes through {@link #virtualAddress()}; the device reaches the same
 * bytes by {@link #physicalAddress()} through {@link BusMemory#map(long, int)}. Multi-byte fields
 * of descriptors are little-endian, as on x86 hardware ({@code getIntLE}/{@code setIntLE}).
 *
 * @param physicalAddress the bus address of the first byte
 * @param virtualAddress  the driver's view; index 0 is the first byte, its writer/reader indexes are unused
 * @param length          size in bytes
 */
public record SharedMemory(long physicalAddress, ByteBuf virtualAddress, int length) {

    /** Bus address of byte {@code offset} in this block. */
    public long physicalAddress(int offset) {
        return physicalAddress + offset;
    }
}
