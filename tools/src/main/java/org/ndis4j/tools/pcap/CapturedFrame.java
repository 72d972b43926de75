package org.ndis4j.tools.pcap;

/**
 * One frame read from a capture file.
 *
 * @param offset         where its record or block starts in the file
 * @param epochNanos     its timestamp, nanoseconds since 1970 (0 where the format has none: SPB)
 * @param originalLength its length on the wire; more than {@code data.length} when the capture cut it
 * @param data           the captured bytes (an Ethernet frame without FCS, or its first part)
 */
public record CapturedFrame(long offset, long epochNanos, int originalLength, byte[] data) {

    /** True when the capture kept fewer bytes than the frame had (snap length). */
    public boolean isTruncated() {
        return originalLength > data.length;
    }
}
