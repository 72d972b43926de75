/**
 * The virtual NIC's datasheet as code (netvmini's hardware.h): register offsets and bits
 * ({@code Registers}), descriptor layouts ({@code TransmitDescriptor}, {@code ReceiveDescriptor}),
 * PHY registers ({@code PhyRegisters}), the statistics counters' register indexes
 * ({@code StatisticsCounter}) and the limits and timings ({@code HardwareLimits}) — and nothing
 * else. A driver for the device imports this package only, never the device model; the model uses
 * the same definitions. The prose is {@code docs/virtual-nic-datasheet.md}.
 */
package org.ndis4j.nic.regs;
