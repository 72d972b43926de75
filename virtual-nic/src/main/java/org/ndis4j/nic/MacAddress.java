package org.ndis4j.nic;

/**
 * A 48-bit Ethernet address, held as a number whose most significant byte is the first on the
 * wire, with the register encoding the device uses for RAL/RAH and MTA_LO/MTA_HI:
 *
 * <pre>
 * address  aa:bb:cc:dd:ee:ff
 * low      0xddccbbaa   (byte 0 in bits 7:0)
 * high     0x0000ffee   (byte 4 in bits 7:0, byte 5 in bits 15:8)
 * </pre>
 *
 * @param value the address in bits 47:0
 */
public record MacAddress(long value) {

    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);

    public MacAddress {
        if ((value >>> 48) != 0) {
            throw new IllegalArgumentException("not a 48-bit address: 0x" + Long.toHexString(value));
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with dashes). */
    public static MacAddress of(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long value = 0;
        for (String part : parts) {
            int octet = Integer.parseInt(part, 16);
            if (part.length() > 2 || octet > 0xFF) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            value = (value << 8) | octet;
        }
        return new MacAddress(value);
    }

    /** The address in {@code bytes[offset .. offset + 5]}. */
    public static MacAddress of(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 6; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return new MacAddress(value);
    }

    /** The address encoded in a low/high register pair (the high register's bits 31:16 ignored). */
    public static MacAddress fromRegisters(int low, int high) {
        return new MacAddress(valueFromRegisters(low, high));
    }

    /** As {@link #fromRegisters}, without allocating. */
    static long valueFromRegisters(int low, int high) {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | ((low >>> (8 * i)) & 0xFF);
        }
        for (int i = 0; i < 2; i++) {
            value = (value << 8) | ((high >>> (8 * i)) & 0xFF);
        }
        return value;
    }

    /** The low register (RAL, MTA_LO): bytes 0-3. */
    public int registerLow() {
        int low = 0;
        for (int i = 0; i < 4; i++) {
            low |= (int) ((value >>> (8 * (5 - i))) & 0xFF) << (8 * i);
        }
        return low;
    }

    /** The high register's address bits (RAH, MTA_HI bits 15:0): bytes 4-5. */
    public int registerHigh() {
        return (int) (((value >>> 8) & 0xFF) | ((value & 0xFF) << 8));
    }

    /** The six bytes in wire order. */
    public byte[] bytes() {
        byte[] bytes = new byte[6];
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (value >>> (8 * (5 - i)));
        }
        return bytes;
    }

    /** True for a group (multicast or broadcast) address: bit 0 of the first byte. */
    public boolean isGroup() {
        return (value & (1L << 40)) != 0;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                text.append(':');
            }
            int octet = (int) (value >>> (8 * (5 - i))) & 0xFF;
            text.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }
}
