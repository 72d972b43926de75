package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.nic.regs.Registers.*;

import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.nic.regs.HardwareLimits;

/**
 * A ring as its registers describe it (base, size, head, tail), read by {@link HostileDriverFuzzTest}'s
 * driver and checks; the device may have been told anything, so nothing here assumes the ring is
 * usable. Apart because both the driver and the checks read rings, and the checks' assertions on
 * head and tail belong with the reading.
 */
record RingRegisters(long base, int size, int head, int tail) {
    static RingRegisters read(RegisterSpace registers, int baseLo) {
        long base = (registers.read32(baseLo + RING_BASE_LO) & 0xFFFF_FFFFL)
                | (long) registers.read32(baseLo + RING_BASE_HI) << 32;
        return new RingRegisters(
                base,
                registers.read32(baseLo + RING_SIZE),
                registers.read32(baseLo + RING_HEAD),
                registers.read32(baseLo + RING_TAIL));
    }

    boolean usableSize() {
        return size >= HardwareLimits.MIN_RING_SIZE
                && size <= HardwareLimits.MAX_RING_SIZE
                && Integer.bitCount(size) == 1;
    }

    void checkHeadAndTail(String unit) {
        if (usableSize()) {
            assertThat(head).as("%s head inside a ring of %d", unit, size).isBetween(0, size - 1);
            assertThat(tail).as("%s tail inside a ring of %d", unit, size).isBetween(0, size - 1);
        } else {
            assertThat(head)
                    .as("%s head of an unusable ring (size %d)", unit, size)
                    .isZero();
        }
    }

    /** Descriptors the device consumed since {@code before} (same programming). */
    int consumedSince(RingRegisters before, String unit) {
        if (!usableSize()) {
            assertThat(head).as("%s head of an unusable ring", unit).isEqualTo(before.head);
            return 0;
        }
        return (head - before.head) & (size - 1);
    }

    /** Bus address of descriptor {@code index} (taken modulo a usable size). */
    long slot(int index) {
        return base + (long) HardwareLimits.DESCRIPTOR_LENGTH * wrap(index);
    }

    int wrap(int index) {
        return usableSize() ? index & (size - 1) : index;
    }

    boolean overlaps(RingRegisters other) {
        long end = base + 16L * Math.max(0, Math.min(size, HardwareLimits.MAX_RING_SIZE));
        long otherEnd = other.base + 16L * Math.max(0, Math.min(other.size, HardwareLimits.MAX_RING_SIZE));
        return base < otherEnd && other.base < end;
    }
}
