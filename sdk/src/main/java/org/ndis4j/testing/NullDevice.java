package org.ndis4j.testing;

import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.InterruptLine;
import org.ndis4j.hw.RegisterSpace;

/**
 * A device with nothing behind it: no registers (reads are 0, writes are ignored), 1 MiB of bus
 * memory and an interrupt line nobody raises. Enough for tests and benchmarks of a miniport's
 * lifecycle, control path or data path that never touch hardware.
 */
public final class NullDevice implements RegisterSpace {

    private NullDevice() {}

    /** The resources of a fresh null device named {@code name}. */
    public static DeviceResources resources(String name) {
        return new DeviceResources(name, new NullDevice(), new HostMemory(1 << 20), new InterruptLine(name));
    }

    @Override
    public int length() {
        return 0;
    }

    @Override
    public int read32(int offset) {
        return 0;
    }

    @Override
    public void write32(int offset, int value) {}
}
