package org.ndis4j.examples.ipstack;

/**
 * An ICMP echo reply matched to the request ipstack sent.
 *
 * @param source     who answered
 * @param identifier the request's identifier
 * @param sequence   the request's sequence number
 * @param ttl        the reply's IPv4 time to live
 * @param icmpLength bytes of ICMP message (8 + data), what ping(8) prints as "N bytes from"
 * @param rttNanos   from the request's send to the reply's receive, on the kernel's clock
 * @param intact     the reply carried back exactly the data the request sent
 */
public record EchoReply(
        int source, int identifier, int sequence, int ttl, int icmpLength, long rttNanos, boolean intact) {}
