/**
 * NET_BUFFER_LIST, NET_BUFFER and their pools, over pooled, reference-counted frame memory (Netty
 * {@code ByteBuf}), the data-path flag words, and a queue of NBLs for drivers. Drivers allocate and
 * free through {@code Ndis}; NDIS's engine makes the objects and tracks who owns each (the verifier
 * catches double completion, use after free and leaks). Depends only on the base types. See
 * docs/data-path.md.
 */
package org.ndis4j.ndis.nbl;
