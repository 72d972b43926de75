package org.ndis4j.examples.ipstack;

import java.time.Duration;

/**
 * The static IPv4 configuration of one binding (what Windows keeps in the registry under the
 * interface's key): its address and prefix, and ARP's timing.
 *
 * @param address            the interface's IPv4 address
 * @param prefixLength       the on-link prefix (1..30 for a usable subnet; 31 and 32 are accepted)
 * @param arpRetries         ARP requests sent for one resolution before its queued packets are dropped
 * @param arpRetryInterval   time between those requests
 * @param arpLifetime        how long a learned entry is used before it must be confirmed again
 */
public record InterfaceConfig(
        int address, int prefixLength, int arpRetries, Duration arpRetryInterval, Duration arpLifetime) {

    public static final int DEFAULT_ARP_RETRIES = 3;
    public static final Duration DEFAULT_ARP_RETRY_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_ARP_LIFETIME = Duration.ofSeconds(60);

    public InterfaceConfig {
        Ipv4Address.mask(prefixLength);
        if (address == 0 || address == Ipv4Address.LIMITED_BROADCAST || (address >>> 28) == 0xE) {
            throw new IllegalArgumentException(
                    "a unicast interface address is needed, not " + Ipv4Address.format(address));
        }
        if (arpRetries < 1 || arpRetryInterval.isNegative() || arpRetryInterval.isZero() || arpLifetime.isZero()) {
            throw new IllegalArgumentException("ARP needs at least one request, and positive intervals");
        }
    }

    /** {@code address/prefixLength} with the default ARP timing. */
    public static InterfaceConfig of(int address, int prefixLength) {
        return new InterfaceConfig(
                address, prefixLength, DEFAULT_ARP_RETRIES, DEFAULT_ARP_RETRY_INTERVAL, DEFAULT_ARP_LIFETIME);
    }

    /** Parses {@code A.B.C.D/LEN}; throws {@link IllegalArgumentException} naming what is wrong. */
    public static InterfaceConfig parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected A.B.C.D/LEN, got '" + text + "'");
        }
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prefix length in '" + text + "' is not a number");
        }
        return of(Ipv4Address.parse(text.substring(0, slash)), length);
    }

    public InterfaceConfig withArp(int retries, Duration retryInterval, Duration lifetime) {
        return new InterfaceConfig(address, prefixLength, retries, retryInterval, lifetime);
    }

    /** The subnet's directed broadcast address (none for /31 and /32). */
    public int directedBroadcast() {
        return prefixLength >= 31 ? address : address | ~Ipv4Address.mask(prefixLength);
    }

    /** True when {@code destination} is on this interface's link (ARP reaches it directly). */
    public boolean isOnLink(int destination) {
        return Ipv4Address.sameSubnet(address, destination, prefixLength);
    }

    @Override
    public String toString() {
        return Ipv4Address.format(address) + "/" + prefixLength;
    }
}
