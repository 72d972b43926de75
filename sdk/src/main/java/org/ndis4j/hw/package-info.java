/**
 * What the bus hands a miniport: a register space, bus (DMA) memory and an interrupt line. Devices
 * (the virtual NIC, a test's trivial device) implement these; the kernel and NDIS connect them to a
 * miniport.
 */
package org.ndis4j.hw;
