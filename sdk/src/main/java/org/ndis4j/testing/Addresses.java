package org.ndis4j.testing;

import java.util.Locale;

/**
 * MAC and IPv4 addresses as the frame builder and parser take them: a MAC is the 48-bit number of
 * its six octets (first octet most significant, as {@code MacAddress.value()} of the virtual NIC),
 * an IPv4 address the 32-bit number of its four octets.
 */
public final class Addresses {

    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;

    private Addresses() {}

    /** "02:4e:44:00:0a:01" (or with dashes) → its 48-bit value. */
    public static long mac(String text) {
        String[] octets = text.trim().split("[:-]");
        if (octets.length != 6) {
            throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
        }
        long value = 0;
        for (String octet : octets) {
            value = value << 8 | octet(octet, 16, text);
        }
        return value;
    }

    /** The usual colon notation of a 48-bit MAC. */
    public static String formatMac(long mac) {
        StringBuilder b = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            b.append(String.format(Locale.ROOT, shift == 40 ? "%02x" : ":%02x", (mac >>> shift) & 0xff));
        }
        return b.toString();
    }

    /** "192.0.2.1" → its 32-bit value. */
    public static int ipv4(String text) {
        String[] octets = text.trim().split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
        }
        int value = 0;
        for (String octet : octets) {
            value = value << 8 | octet(octet, 10, text);
        }
        return value;
    }

    /** Dotted-decimal notation. */
    public static String formatIpv4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    /** True for group MACs (multicast and broadcast): the I/G bit of the first octet. */
    public static boolean isGroupMac(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    private static int octet(String octet, int radix, String whole) {
        try {
            int v = Integer.parseInt(octet, radix);
            if (octet.isEmpty() || v < 0 || v > 255) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad octet \"" + octet + "\" in \"" + whole + "\"");
        }
    }
}
