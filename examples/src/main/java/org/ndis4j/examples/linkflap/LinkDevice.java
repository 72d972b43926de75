package org.ndis4j.examples.linkflap;

import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.InterruptLine;
import org.ndis4j.hw.RegisterSpace;

/**
 * The smallest device with a link: two registers and an interrupt line. Pulling or plugging the
 * cable sets the LINK_CHANGE cause and raises the line; reading CAUSE clears it. The link bit in
 * STATUS is only valid after a PHY read, which the driver must do at PASSIVE_LEVEL (see
 * {@link LinkFlapAdapter}).
 *
 * <pre>
 *   offset  name    access  bits
 *   0x00    STATUS  R       bit 0 LINK_UP
 *   0x04    CAUSE   RC      bit 2 LINK_CHANGE (read to clear)
 * </pre>
 */
public final class LinkDevice implements RegisterSpace {

    public static final int STATUS = 0x00;
    public static final int CAUSE = 0x04;
    public static final int STATUS_LINK_UP = 1;
    public static final int CAUSE_LINK_CHANGE = 1 << 2;

    private final InterruptLine interrupt;
    private final DeviceResources resources;
    private final AtomicInteger cause = new AtomicInteger();
    private volatile boolean linkUp;

    public LinkDevice(String name) {
        interrupt = new InterruptLine(name);
        resources = new DeviceResources(name, this, new HostMemory(1 << 16), interrupt);
    }

    public DeviceResources resources() {
        return resources;
    }

    /** The cable: a change raises LINK_CHANGE. Called by the demo (the outside world). */
    public void setCable(boolean plugged) {
        if (linkUp != plugged) {
            linkUp = plugged;
            cause.getAndUpdate(c -> c | CAUSE_LINK_CHANGE);
            interrupt.raise();
        }
    }

    @Override
    public int length() {
        return 8;
    }

    @Override
    public int read32(int offset) {
        return switch (offset) {
            case STATUS -> linkUp ? STATUS_LINK_UP : 0;
            case CAUSE -> cause.getAndSet(0);
            default -> 0;
        };
    }

    @Override
    public void write32(int offset, int value) {
        // No writable registers.
    }
}
