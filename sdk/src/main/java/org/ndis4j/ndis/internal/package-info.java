/**
 * NDIS's engine: the PnP manager, the adapter state machine, the driver stack (filters and
 * bindings) with its data and OID paths, the OID broker, NBL ownership and pools, and the objects
 * behind every opaque handle. Internal: a driver never imports it (the build checks), and it may
 * change without notice. Drivers use {@code Ndis}, {@code NdisM}, {@code NdisF}; hosts use
 * {@code org.ndis4j.host}.
 */
package org.ndis4j.ndis.internal;
