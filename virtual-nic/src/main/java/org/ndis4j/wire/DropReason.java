package org.ndis4j.wire;

/** Why a frame that was handed to a wire or a switch port never left it; each is counted. */
public enum DropReason {
    /** No connection: the carrier was down, or the connection ended with the frame still queued. */
    CARRIER_DOWN,
    /** Tail drop: the output queue (the send queue of a wire, a switch port's queue) was full. */
    BACKPRESSURE,
    /** Tail drop: the switch's shared buffer, which all output queues draw on, was used up. */
    BUFFER_FULL,
    /** The frame was shorter than an Ethernet header or longer than the frame limit. */
    MALFORMED,
    /** The switch port was set administratively down with the frame still queued. */
    ADMIN_DOWN,
    /** A switch frame addressed to a station behind the port it came from: filtered, as switches do. */
    FILTERED
}
