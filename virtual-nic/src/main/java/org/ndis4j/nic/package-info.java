/**
 * The NIC device model: a bus-master Ethernet controller that a miniport programs as it would
 * program hardware. {@code VirtualNic} assembles it; its register map, descriptor layouts, PHY
 * registers and limits are the datasheet package {@code org.ndis4j.nic.regs} (prose:
 * {@code docs/virtual-nic-datasheet.md}). One unit per file, each guarding its own state. The device
 * never calls driver code: it changes its state and raises its interrupt line. Drivers never import
 * this package; hosts (tests, tools) do, to build devices.
 */
package org.ndis4j.nic;
