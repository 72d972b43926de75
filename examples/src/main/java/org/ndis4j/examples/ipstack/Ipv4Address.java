package org.ndis4j.examples.ipstack;

/**
 * IPv4 addresses as 32-bit numbers (network byte order read as a big-endian int), the way the kit's
 * {@code Addresses} writes them: parsing, formatting and prefix arithmetic.
 */
public final class Ipv4Address {

    /** 255.255.255.255, the limited broadcast. */
    public static final int LIMITED_BROADCAST = 0xFFFF_FFFF;

    private Ipv4Address() {}

    /**
     * Parses dotted-quad text ({@code 192.0.2.1}); throws {@link IllegalArgumentException} naming the
     * text when it is not four decimal octets.
     */
    public static int parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "' (octet " + octet + ")");
            }
            address = address << 8 | octet;
        }
        return address;
    }

    /** {@code 192.0.2.1}. */
    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    /** The network mask of a prefix length (0..32). */
    public static int mask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0..32");
        }
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** True when {@code a} and {@code b} share their first {@code prefixLength} bits. */
    public static boolean sameSubnet(int a, int b, int prefixLength) {
        int mask = mask(prefixLength);
        return (a & mask) == (b & mask);
    }
}
