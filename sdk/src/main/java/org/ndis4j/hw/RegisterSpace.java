package org.ndis4j.hw;

/**
 * A device's register (I/O) space: 32-bit registers at byte offsets, as NdisMMapIoSpace maps it.
 *
 * <p>Reads and writes may have side effects (a read-to-clear cause register, a tail register that
 * starts a transmit), exactly as on hardware; they are safe to call from any thread at any IRQL.
 */
public interface RegisterSpace {

    /** Length of the space in bytes. */
    int length();

    /** READ_REGISTER_ULONG: the 32-bit register at {@code offset} (a multiple of 4). */
    int read32(int offset);

    /** WRITE_REGISTER_ULONG: writes the 32-bit register at {@code offset} (a multiple of 4). */
    void write32(int offset, int value);
}
