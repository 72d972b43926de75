package org.ndis4j.wire;

/**
 * The buffer memory all output queues of a switch draw on, as in a shared-memory switch: each queue
 * has its own cap, and together they never hold more than {@link #capacity} bytes, however many
 * ports are stuck. Confined to the switch's event loop.
 */
final class SharedBuffer {

    final long capacity;
    /** Bytes charged by all queues now. */
    long used;

    SharedBuffer(long capacity) {
        this.capacity = capacity;
    }
}
