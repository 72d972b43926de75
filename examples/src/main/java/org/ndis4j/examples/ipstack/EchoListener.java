package org.ndis4j.examples.ipstack;

/**
 * Hears how one ICMP echo request ended: exactly one of the two methods is called, once. Runs at
 * DISPATCH_LEVEL (the receive DPC, or the binding's timer DPC), so it must not block.
 */
public interface EchoListener {

    /** The reply came. */
    void replied(EchoReply reply);

    /** No reply came within the request's timeout (or the binding closed first). */
    void timedOut(int identifier, int sequence);
}
