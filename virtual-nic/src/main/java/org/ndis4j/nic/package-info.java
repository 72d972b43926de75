/**
 * The NIC device model: a bus-master Ethernet controller that a miniport programs as it would
 * program hardware. {@link VirtualNic} assembles it; its register map is
 * {@link Registers}, its descriptors {@link TransmitDescriptor} and
 * {@link ReceiveDescriptor}, its PHY {@link PhyRegisters}, its limits
 * {@link HardwareLimits}; the datasheet is {@code docs/virtual-nic-datasheet.md}.
 * One unit per file, each guarding its own state. The device never calls driver code: it changes
 * its state and raises its interrupt line.
 */
package org.ndis4j.nic;
