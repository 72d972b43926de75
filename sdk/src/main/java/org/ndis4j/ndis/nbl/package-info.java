/**
 * NET_BUFFER_LIST, NET_BUFFER and their pools, over pooled, reference-counted frame memory (Netty
 * {@link io.netty.buffer.ByteBuf}), and the ownership tracking the verifier uses to catch double
 * completion, use after free and leaks. Drivers allocate and free through {@code Ndis}; the
 * NDIS-internal classes here ({@link org.ndis4j.ndis.nbl.NblOwnership},
 * {@link org.ndis4j.ndis.nbl.NblRegistry}) are called by the NDIS library only. See docs/data-path.md.
 */
package org.ndis4j.ndis.nbl;
