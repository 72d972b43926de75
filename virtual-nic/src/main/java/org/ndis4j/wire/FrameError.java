package org.ndis4j.wire;

/** Why a stream was found to be broken; each one closes the connection and is counted. */
public enum FrameError {
    /** A length prefix of 0: not a frame. */
    ZERO_LENGTH,
    /** A length prefix shorter than an Ethernet header (1..13 bytes). */
    TOO_SHORT,
    /** A length prefix above the configured maximum (random bytes usually end here). */
    TOO_LONG,
    /** The stream ended in the middle of a frame (or of its length prefix). */
    TRUNCATED,
    /** A frame stopped arriving half-way for longer than the switch's partial-frame timeout. */
    STALLED;

    /** Classifies a length prefix; null when it is acceptable. */
    static FrameError classify(long length, int maxFrameLength) {
        if (length == 0) {
            return ZERO_LENGTH;
        }
        if (length < EthernetFrames.HEADER_LENGTH) {
            return TOO_SHORT;
        }
        if (length > maxFrameLength) {
            return TOO_LONG;
        }
        return null;
    }
}
