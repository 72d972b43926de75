/**
 * The wire: the frame codec (QEMU stream framing), TCP and in-memory links, the virtual switch and
 * the pcap writer. Netty lives here; hardware threads never call driver code. {@code WirePeer} is
 * the other end of the cable for tests.
 */
package org.ndis4j.wire;
