package org.ndis4j.nic;

import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;

/**
 * MAXFRAME ({@link Registers#MAXFRAME}): the longest frame, without FCS, that the transmit unit sends
 * and the receive unit accepts. Reset value {@link HardwareLimits#MAX_FRAME_LENGTH} (1518: a
 * 1500-byte MTU, the header and one 802.1Q tag); a driver that enables jumbo frames writes up to
 * {@link HardwareLimits#MAX_JUMBO_FRAME_LENGTH}. Longer frames are length errors, counted.
 */
final class FrameLengthLimit {

    private volatile int maxFrameLength = HardwareLimits.MAX_FRAME_LENGTH;

    int maxFrameLength() {
        return maxFrameLength;
    }

    /** A register write: false (ignored) outside 60..MAX_JUMBO_FRAME_LENGTH. */
    boolean set(int value) {
        if (value < HardwareLimits.MIN_MAX_FRAME_LENGTH || value > HardwareLimits.MAX_JUMBO_FRAME_LENGTH) {
            return false;
        }
        maxFrameLength = value;
        return true;
    }

    void reset() {
        maxFrameLength = HardwareLimits.MAX_FRAME_LENGTH;
    }
}
