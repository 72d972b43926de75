package org.ndis4j.nic.regs;

/**
 * Layout of a receive descriptor: 16 bytes in the receive ring, little-endian.
 *
 * <pre>
 * byte   0                               8               10              12      13      16
 *        +-------------------------------+---------------+---------------+-------+-------+
 *        | buffer address (u64)          | buffer size   | frame length  | status| rsvd  |
 *        |                               | (u16)         | (u16)         |       |       |
 *        +-------------------------------+---------------+---------------+-------+-------+
 *          written by the driver when posting ---------^  written back by the device ---^
 *
 * status bit 0  DONE          the descriptor is finished: a frame, or an error, is reported
 *        bit 1  BROADCAST     the frame was sent to ff:ff:ff:ff:ff:ff
 *        bit 2  MULTICAST     the frame was sent to a multicast group
 *        bit 3  ERR_TOO_SMALL the frame (frame length) did not fit the buffer: no data written
 *        bit 4  ERR_DMA       the buffer is not inside bus memory: no data written
 * </pre>
 *
 * One descriptor receives one whole frame (no FCS). A driver posting a buffer should clear the
 * status byte, so that a stale DONE is never mistaken for a new frame.
 */
public final class ReceiveDescriptor {

    public static final int ADDRESS_OFFSET = 0;
    public static final int BUFFER_SIZE_OFFSET = 8;
    public static final int FRAME_LENGTH_OFFSET = 10;
    public static final int STATUS_OFFSET = 12;

    public static final int STATUS_DONE = 1;
    public static final int STATUS_BROADCAST = 1 << 1;
    public static final int STATUS_MULTICAST = 1 << 2;
    public static final int STATUS_ERR_TOO_SMALL = 1 << 3;
    public static final int STATUS_ERR_DMA = 1 << 4;

    /** Byte offset of descriptor {@code index} in its ring. */
    public static int offset(int index) {
        return index * HardwareLimits.DESCRIPTOR_LENGTH;
    }

    private ReceiveDescriptor() {}
}
