/**
 * The protocol driver's contract with NDIS (NDIS_PROTOCOL_DRIVER_CHARACTERISTICS):
 * {@code ProtocolDriver}, the bind parameters and the opaque bind context.
 */
package org.ndis4j.ndis.protocol;
