package org.ndis4j.examples.ipstack;

import io.netty.buffer.ByteBuf;

/**
 * Receives the UDP datagrams sent to one port. Runs at DISPATCH_LEVEL in the receive DPC: it must not
 * block, and the payload ({@code length} bytes of {@code frame} from absolute index {@code offset})
 * is valid only during the call (the frame goes back to the miniport afterwards) — copy what you keep.
 */
@FunctionalInterface
public interface UdpListener {

    void datagramReceived(int source, int sourcePort, int destinationPort, ByteBuf frame, int offset, int length);
}
