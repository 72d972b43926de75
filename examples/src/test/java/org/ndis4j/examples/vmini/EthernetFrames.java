package org.ndis4j.examples.vmini;

import org.ndis4j.nic.MacAddress;

/** Test frames: destination, source, a local experimental EtherType, and a numbered payload. */
final class EthernetFrames {

    static final int ETHER_TYPE = 0x88B5; // IEEE 802 local experimental

    private EthernetFrames() {}

    /** A frame of {@code length} bytes (14 … 1514) whose payload pattern depends on {@code seq}. */
    static byte[] frame(MacAddress destination, MacAddress source, int length, int seq) {
        byte[] frame = new byte[length];
        System.arraycopy(destination.bytes(), 0, frame, 0, 6);
        System.arraycopy(source.bytes(), 0, frame, 6, 6);
        frame[12] = (byte) (ETHER_TYPE >>> 8);
        frame[13] = (byte) ETHER_TYPE;
        for (int i = 14; i < length; i++) {
            frame[i] = (byte) (seq * 31 + i);
        }
        return frame;
    }
}
