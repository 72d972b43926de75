package org.ndis4j.nic.regs;

/**
 * Layout of a transmit descriptor: 16 bytes in the transmit ring, little-endian.
 *
 * <pre>
 * byte   0                               8               10      11      12              16
 *        +-------------------------------+---------------+-------+-------+---------------+
 *        | buffer address (u64)          | length (u16)  | cmd   | status| reserved (0)  |
 *        +-------------------------------+---------------+-------+-------+---------------+
 *          written by the driver ----------------------------------^ written back by the device
 *
 * cmd    bit 0  REPORT_STATUS  raise TX_DONE once this descriptor is written back
 * status bit 0  DONE           the device is finished with the descriptor and its buffer
 *        bit 1  ERR_LENGTH     length 0, below 14 (an Ethernet header) or above 1518: not sent
 *        bit 2  ERR_DMA        buffer not inside bus memory: not sent
 *        bit 3  ERR_NO_CARRIER link down, or the wire refused the frame: not sent
 *        bit 4  ERR_FAULT      failed by fault injection: not sent
 * </pre>
 *
 * One descriptor carries one whole frame. The device writes only the status byte.
 */
public final class TransmitDescriptor {

    public static final int ADDRESS_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int COMMAND_OFFSET = 10;
    public static final int STATUS_OFFSET = 11;

    public static final int CMD_REPORT_STATUS = 1;

    public static final int STATUS_DONE = 1;
    public static final int STATUS_ERR_LENGTH = 1 << 1;
    public static final int STATUS_ERR_DMA = 1 << 2;
    public static final int STATUS_ERR_NO_CARRIER = 1 << 3;
    public static final int STATUS_ERR_FAULT = 1 << 4;

    /** Byte offset of descriptor {@code index} in its ring. */
    public static int offset(int index) {
        return index * HardwareLimits.DESCRIPTOR_LENGTH;
    }

    private TransmitDescriptor() {}
}
