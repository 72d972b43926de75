package org.ndis4j.examples.races;

import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.InterruptLine;
import org.ndis4j.hw.RegisterSpace;

/**
 * The race corpus's device ({@link RaceHardware} is its datasheet): a cause register, a mask, a reset
 * that drops the link and never completes (a driver polling CTRL.RESET waits its whole bound) and a PHY
 * whose reads complete at once. Asserting an unmasked cause raises the
 * interrupt line on the calling thread, so under the deterministic scheduler the interrupt is part of
 * the schedule: a driver's register write, or the test's {@link #assertCause}, queues the ISR and the
 * next scheduling point decides when it runs.
 */
final class RaceDevice implements RegisterSpace {

    private final InterruptLine line;
    private final DeviceResources resources;
    private final AtomicInteger causes = new AtomicInteger();
    private final AtomicInteger mask = new AtomicInteger();
    private volatile boolean linkUp = true;
    /** Set by a reset, never cleared: the PHY has no partner to come back up with, so it never finishes. */
    private volatile boolean resetting;

    RaceDevice(String name) {
        line = new InterruptLine(name);
        resources = new DeviceResources(name, this, new HostMemory(1 << 16), line);
    }

    DeviceResources resources() {
        return resources;
    }

    /** The outside world: a cause happens (the cable, say); the line rises unless it is masked. */
    void assertCause(int bits) {
        causes.getAndUpdate(c -> c | bits);
        if ((bits & mask.get()) != 0) {
            line.raise();
        }
    }

    @Override
    public int length() {
        return 0x10;
    }

    @Override
    public int read32(int offset) {
        return switch (offset) {
            case RaceHardware.CTRL -> resetting ? RaceHardware.CTRL_RESET : 0;
            case RaceHardware.ICR -> causes.getAndSet(0);
            case RaceHardware.IMS -> mask.get();
            case RaceHardware.PHY -> linkUp ? RaceHardware.PHY_LINK_UP : 0;
            default -> 0;
        };
    }

    @Override
    public void write32(int offset, int value) {
        switch (offset) {
            case RaceHardware.CTRL -> {
                if ((value & RaceHardware.CTRL_RESET) != 0) {
                    resetting = true;
                    assertCause(RaceHardware.CAUSE_LINK); // the PHY restarts: the link drops
                }
            }
            case RaceHardware.IMS -> mask.set(value);
            case RaceHardware.PHY -> {
                if ((value & RaceHardware.PHY_READ) != 0) {
                    assertCause(RaceHardware.CAUSE_PHY_DONE);
                }
            }
            default -> {}
        }
    }
}
