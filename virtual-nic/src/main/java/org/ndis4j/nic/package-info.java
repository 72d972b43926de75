/**
 * The NIC device model: a bus-master Ethernet controller that a miniport programs as it would
 * program hardware. {@link org.ndis4j.nic.VirtualNic} assembles it; its register map is
 * {@link org.ndis4j.nic.Registers}, its descriptors {@link org.ndis4j.nic.TransmitDescriptor} and
 * {@link org.ndis4j.nic.ReceiveDescriptor}, its PHY {@link org.ndis4j.nic.PhyRegisters}, its limits
 * {@link org.ndis4j.nic.HardwareLimits}; the datasheet is {@code docs/virtual-nic-datasheet.md}.
 * One unit per file, each guarding its own state. The device never calls driver code: it changes
 * its state and raises its interrupt line.
 */
package org.ndis4j.nic;
