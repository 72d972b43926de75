package org.ndis4j.nic;

import io.netty.buffer.ByteBuf;
import org.ndis4j.hw.BusMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * One descriptor ring as the device sees it: base address, size, head and tail, and the ring's
 * memory mapped once through the bus.
 *
 * <pre>
 *            head (device: next to process)          tail (driver: one past the last posted)
 *              v                                       v
 *   +-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+
 *   |  done by  | owned by the device: head .. tail-1 | owned by the driver
 *   |  device   |                                     |
 *   +-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+
 *   head == tail: the device owns nothing. The driver keeps one slot free (tail + 1 == head: full).
 * </pre>
 *
 * <p>Not thread-safe: the engine that owns the ring guards it with its lock. Writing the base or the
 * size resets head and tail to 0; the ring is mapped lazily, at first use after such a write, and a
 * ring that cannot be used (size not a power of two in range, base unaligned or outside bus memory,
 * or its memory freed under the device) is counted once in {@link StatisticsCounter#RING_ERRORS},
 * is {@linkplain #isFaulted() faulted} (the unit's STATUS ring-error bit) and stays unusable until
 * reprogrammed; the engine raises {@link Registers#INT_RING_ERROR} once for it
 * ({@link #takeFaultCause()}).
 */
final class DescriptorRing {

    private final BusMemory memory;
    private final Statistics statistics;

    private int baseLo;
    private int baseHi;
    private int size;
    private int head;
    private int tail;
    /** The ring's memory, or null when not mapped yet (configured is false) or unusable. */
    private ByteBuf descriptors;
    /** True once a mapping was attempted since the last base or size write. */
    private boolean configured;
    /** The ring became unusable and the engine has not raised INT_RING_ERROR for it yet. */
    private boolean faultUnreported;

    DescriptorRing(BusMemory memory, Statistics statistics) {
        this.memory = memory;
        this.statistics = statistics;
    }

    /** Reads one of the ring's registers, {@code register} relative to the base-low register. */
    int read(int register) {
        return switch (register) {
            case Registers.RING_BASE_LO -> baseLo;
            case Registers.RING_BASE_HI -> baseHi;
            case Registers.RING_SIZE -> size;
            case Registers.RING_HEAD -> head;
            case Registers.RING_TAIL -> tail;
            default -> 0;
        };
    }

    /**
     * Writes one of the ring's registers. Head is read-only; a tail at or beyond the size is
     * ignored and counted. Returns true when the tail moved.
     */
    boolean write(int register, int value) {
        switch (register) {
            case Registers.RING_BASE_LO -> {
                baseLo = value;
                unmap();
            }
            case Registers.RING_BASE_HI -> {
                baseHi = value;
                unmap();
            }
            case Registers.RING_SIZE -> {
                size = value;
                unmap();
            }
            case Registers.RING_TAIL -> {
                if (Integer.compareUnsigned(value, size) >= 0) {
                    statistics.increment(StatisticsCounter.RING_ERRORS);
                    return false;
                }
                boolean moved = tail != value;
                tail = value;
                return moved;
            }
            default -> {
                // head is read-only
            }
        }
        return false;
    }

    /** The mapped ring, or null when the ring is not usable. */
    ByteBuf descriptors() {
        if (!configured) {
            configured = true;
            descriptors = map();
        }
        return descriptors;
    }

    private ByteBuf map() {
        long base = (baseLo & 0xFFFF_FFFFL) | ((long) baseHi << 32);
        boolean sizeValid = size >= HardwareLimits.MIN_RING_SIZE
                && size <= HardwareLimits.MAX_RING_SIZE
                && Integer.bitCount(size) == 1;
        if (!sizeValid || base == 0 || base % HardwareLimits.RING_ALIGNMENT != 0) {
            return fault();
        }
        try {
            return memory.map(base, size * HardwareLimits.DESCRIPTOR_LENGTH);
        } catch (IllegalArgumentException outsideMemory) {
            return fault(); // nothing on the bus answers there: a master abort
        }
    }

    private ByteBuf fault() {
        statistics.increment(StatisticsCounter.RING_ERRORS);
        faultUnreported = true;
        return null;
    }

    /**
     * The mapping failed while in use (the driver freed the ring's memory under the device): the
     * ring is unusable until reprogrammed.
     */
    void fail() {
        descriptors = fault();
        configured = true;
    }

    /** True when the device tried the ring and cannot use it: the STATUS ring-error bit. */
    boolean isFaulted() {
        return configured && descriptors == null;
    }

    /** {@link Registers#INT_RING_ERROR} the first time it is asked after the ring became unusable, else 0. */
    int takeFaultCause() {
        boolean report = faultUnreported;
        faultUnreported = false;
        return report ? Registers.INT_RING_ERROR : 0;
    }

    private void unmap() {
        descriptors = null;
        configured = false;
        faultUnreported = false;
        head = 0;
        tail = 0;
    }

    int head() {
        return head;
    }

    /** True when the device owns no descriptor. */
    boolean isEmpty() {
        return head == tail;
    }

    /** Hands descriptor {@code head} back to the driver. */
    void advanceHead() {
        head = (head + 1) & (size - 1);
    }

    /** Back to power-on: no base, no size, head and tail 0. */
    void reset() {
        baseLo = 0;
        baseHi = 0;
        size = 0;
        unmap();
    }
}
