/**
 * The miniport driver's contract with NDIS (NDIS_MINIPORT_DRIVER_CHARACTERISTICS and what goes with
 * it): {@code MiniportDriver}, {@code InterruptHandlers}, the adapter attributes and their builders,
 * the init parameters, interrupt results and receive throttle parameters, the halt action, and the
 * adapter states.
 */
package org.ndis4j.ndis.miniport;
