package org.ndis4j.nic;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.ndis4j.hw.BusMemory;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.SharedMemory;

/**
 * A bus analyser between one device and the machine's memory, as a PCIe analyser sits in a slot:
 * the device reaches the shared {@link HostMemory} only through it, and it records every DMA the
 * bus served. The memory the device was given is what its driver allocated through this view (as
 * NdisMAllocateSharedMemory allocates for one adapter); {@link #isGiven(Access)} tells a DMA inside
 * it from one anywhere else (another device's blocks, memory nobody handed out). A DMA to an address
 * outside every block fails in the bus, as a master abort does, is not recorded, and is the device's
 * to report.
 */
final class BusAnalyser implements BusMemory {

    /** One DMA the bus served: {@code [address, address + length)}. */
    record Access(String kind, long address, int length) {
        boolean overlaps(long start, long end) {
            return address < end && start < address + length;
        }

        @Override
        public String toString() {
            return kind + " of " + length + " bytes at 0x" + Long.toHexString(address);
        }
    }

    private final HostMemory bus;
    private final List<SharedMemory> given = new ArrayList<>();
    private final List<Access> served = new ArrayList<>();

    BusAnalyser(HostMemory bus) {
        this.bus = bus;
    }

    @Override
    public SharedMemory allocate(int length) {
        SharedMemory block = bus.allocate(length);
        if (block != null) {
            given.add(block);
        }
        return block;
    }

    @Override
    public void free(SharedMemory block) {
        given.remove(block);
        bus.free(block);
    }

    @Override
    public ByteBuf map(long physicalAddress, int length) {
        ByteBuf view = bus.map(physicalAddress, length);
        record("map", physicalAddress, length);
        return view;
    }

    @Override
    public void readInto(long physicalAddress, ByteBuf dst, int length) {
        bus.readInto(physicalAddress, dst, length);
        record("read", physicalAddress, length);
    }

    @Override
    public void writeFrom(long physicalAddress, ByteBuf src, int srcIndex, int length) {
        bus.writeFrom(physicalAddress, src, srcIndex, length);
        record("write", physicalAddress, length);
    }

    @Override
    public long allocatedBytes() {
        return given.stream().mapToLong(SharedMemory::length).sum();
    }

    /** The blocks the driver allocated and has not freed. */
    List<SharedMemory> given() {
        return given;
    }

    /** True when the whole of {@code access} lies in one block of this view. */
    boolean isGiven(Access access) {
        for (SharedMemory block : given) {
            long offset = access.address() - block.physicalAddress();
            if (offset >= 0 && offset <= block.length() - (long) access.length()) {
                return true;
            }
        }
        return false;
    }

    /** The DMAs served since the last call, oldest first. */
    List<Access> takeServed() {
        List<Access> copy = List.copyOf(served);
        served.clear();
        return copy;
    }

    private void record(String kind, long address, int length) {
        served.add(new Access(kind, address, length));
    }
}
