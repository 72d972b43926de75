package org.ndis4j.nic;

import org.ndis4j.nic.regs.HardwareLimits;

/** Ethernet frames for tests: a header and a payload whose bytes depend on a seed. */
final class Frames {

    static final MacAddress PEER = MacAddress.of("02:00:00:00:00:99");
    static final int ETHERTYPE_EXPERIMENTAL = 0x88B5;

    /** A frame of {@code length} bytes (header included) from {@code source} to {@code destination}. */
    static byte[] frame(MacAddress destination, MacAddress source, int length, int seed) {
        byte[] frame = new byte[length];
        System.arraycopy(destination.bytes(), 0, frame, 0, 6);
        System.arraycopy(source.bytes(), 0, frame, 6, 6);
        frame[12] = (byte) (ETHERTYPE_EXPERIMENTAL >> 8);
        frame[13] = (byte) ETHERTYPE_EXPERIMENTAL;
        for (int i = HardwareLimits.ETHERNET_HEADER_LENGTH; i < length; i++) {
            frame[i] = (byte) (seed * 31 + i * 7);
        }
        return frame;
    }

    static byte[] frame(MacAddress destination, int length, int seed) {
        return frame(destination, PEER, length, seed);
    }

    private Frames() {}
}
