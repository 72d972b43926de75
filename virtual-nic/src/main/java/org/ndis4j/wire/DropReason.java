package org.ndis4j.wire;

/** Why a frame that was handed to a wire or a switch port never left it; each is counted. */
public enum DropReason {
    /** No connection: the carrier was down. */
    CARRIER_DOWN,
    /** The peer reads too slowly and the bounded send queue is full. */
    BACKPRESSURE,
    /** The frame was shorter than an Ethernet header or longer than the frame limit. */
    MALFORMED,
    /** The switch port is administratively down. */
    ADMIN_DOWN,
    /** A switch frame addressed to a station behind the port it came from: filtered, as switches do. */
    FILTERED,
    /** The packet capture could not keep up; the frame was forwarded but not captured. */
    CAPTURE_BEHIND
}
