package org.ndis4j.ndis;

import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.InterruptLine;
import org.ndis4j.hw.RegisterSpace;

/**
 * A device with nothing but an interrupt: a cause register that clears when read and a mask
 * register. Asserting a cause that is not masked raises the line, from whatever thread asserts it.
 *
 * <pre>
 *   offset  register  access
 *   0x00    ICR       read-to-clear: the causes asserted since the last read
 *   0x04    IMS       read/write: causes allowed to raise the line (writing re-raises if one is pending)
 * </pre>
 */
final class InterruptTestDevice implements RegisterSpace {

    static final int REG_ICR = 0x00;
    static final int REG_IMS = 0x04;
    static final int CAUSE_RX = 0x1;
    static final int CAUSE_TX = 0x2;

    final InterruptLine line;
    private final String name;
    private final AtomicInteger cause = new AtomicInteger();
    private final AtomicInteger mask = new AtomicInteger(~0);

    InterruptTestDevice(String name) {
        this.name = name;
        this.line = new InterruptLine(name);
    }

    DeviceResources resources() {
        return new DeviceResources(name, this, new HostMemory(1 << 20), line);
    }

    /** Device side: a cause happens; the line is raised unless the cause is masked. */
    void assertCause(int bits) {
        cause.getAndUpdate(c -> c | bits);
        if ((bits & mask.get()) != 0) {
            line.raise();
        }
    }

    /** Device side: the line is raised with no cause set (a spurious or shared-line interrupt). */
    void raiseSpurious() {
        line.raise();
    }

    @Override
    public int length() {
        return 8;
    }

    @Override
    public int read32(int offset) {
        return switch (offset) {
            case REG_ICR -> cause.getAndSet(0);
            case REG_IMS -> mask.get();
            default -> throw new IllegalArgumentException("no register at 0x" + Integer.toHexString(offset));
        };
    }

    @Override
    public void write32(int offset, int value) {
        if (offset != REG_IMS) {
            throw new IllegalArgumentException("register 0x" + Integer.toHexString(offset) + " is not writable");
        }
        mask.set(value);
        if ((cause.get() & value) != 0) {
            line.raise();
        }
    }
}
