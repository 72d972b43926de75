package org.ndis4j.examples.vmini;

import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.types.MediaConnectState;
import org.ndis4j.ndis.types.MediaDuplexState;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.PhyRegisters;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * Hardware access and limits (netvmini's hardware.h and the register half of mphal.c): the sizes
 * the driver fixes (ring and buffer sizes, the MTU and moderation come from the registry: see
 * {@link VminiConfiguration}), and the helpers that read and write the virtual NIC's registers as its
 * datasheet (docs/virtual-nic-datasheet.md) describes them. To port vmini to another device of the
 * same family, change the numbers here.
 *
 * <pre>
 *   shared memory (NdisMAllocateSharedMemory)
 *   ┌──────────────────────┬──────────────────────────────┬──────────────────────┬────────────────────────────┐
 *   │ transmit ring        │ transmit buffers             │ receive ring         │ receive buffers (the RCBs' │
 *   │ *TransmitBuffers     │ *TransmitBuffers × buffer    │ *ReceiveBuffers      │ MDLs) (*ReceiveBuffers-1) ×│
 *   │ × 16 B               │ (*JumboPacket+4 → 2 KiB)     │ × 16 B               │ buffer                     │
 *   └──────────────────────┴──────────────────────────────┴──────────────────────┴────────────────────────────┘
 * </pre>
 *
 * Register helpers are safe at any IRQL (a register access never waits) except {@link #readPhy},
 * which polls the slow management bus and runs at PASSIVE_LEVEL only.
 */
final class VminiHardware {

    /** Shortest frame: an Ethernet header. */
    static final int MIN_FRAME_LENGTH = HardwareLimits.ETHERNET_HEADER_LENGTH;
    /** OID_802_3_MAXIMUM_LIST_SIZE: the device's exact-match multicast table. */
    static final int MULTICAST_LIST_SIZE = HardwareLimits.MULTICAST_TABLE_ENTRIES;
    /** Sends queued in software while the transmit ring is full; beyond it: NDIS_STATUS_RESOURCES. */
    static final int SEND_WAIT_LIMIT = 1024;
    /**
     * Posted receive buffers below which the DPC indicates with NDIS_RECEIVE_FLAGS_RESOURCES, so that
     * the NBLs come straight back and the ring does not run dry while protocols hold buffers.
     */
    static final int RX_LOW_WATER = 8;
    /** Minimum interval between interrupts (ITR), µs: moderation coalesces bursts into one interrupt. */
    static final int INTERRUPT_THROTTLE_MICROS = 20;
    /** The causes the ISR handles; IMS gets exactly these. */
    static final int INTERRUPT_CAUSES =
            Registers.INT_TX_DONE | Registers.INT_RX | Registers.INT_LINK_STATUS_CHANGE | Registers.INT_RX_OVERRUN;
    /** Fastest link the device reaches (bits/s). */
    static final long MAX_LINK_SPEED = 1_000_000_000L;
    /** Packet filters the hardware filter implements (NDIS_PACKET_TYPE_*). */
    static final int SUPPORTED_PACKET_FILTERS = NdisPacketType.NDIS_PACKET_TYPE_DIRECTED
            | NdisPacketType.NDIS_PACKET_TYPE_MULTICAST
            | NdisPacketType.NDIS_PACKET_TYPE_ALL_MULTICAST
            | NdisPacketType.NDIS_PACKET_TYPE_BROADCAST
            | NdisPacketType.NDIS_PACKET_TYPE_PROMISCUOUS;
    /** Wait between two polls of MDIC.READY (a PHY access takes about a millisecond). */
    static final int PHY_POLL_MICROS = 200;
    /** Polls before a PHY access counts as failed (20 ms). */
    static final int PHY_POLL_LIMIT = 100;
    /**
     * How often NDIS calls MiniportCheckForHangEx (CheckForHangTimeInSeconds). NDIS's own default (0)
     * is also 2 s; a wedged ring is reported after one whole period without progress, so NDIS resets
     * the NIC 2 to 4 s after it stopped.
     */
    static final int CHECK_FOR_HANG_SECONDS = 2;
    /** Pool tag of the receive NBL pool: 'Vmrx'. */
    static final int RECEIVE_POOL_TAG = 0x7872_6D56;

    private VminiHardware() {}

    /** CTRL.RESET, then reads ICR to drop the causes left from power-on. Any IRQL. */
    static void reset(RegisterSpace registers) {
        registers.write32(Registers.CTRL, Registers.CTRL_RESET);
        registers.read32(Registers.ICR);
    }

    /** The station address in RAL/RAH (after reset: the EEPROM's permanent address). Any IRQL. */
    static byte[] readStationAddress(RegisterSpace registers) {
        int low = registers.read32(Registers.RAL);
        int high = registers.read32(Registers.RAH);
        return new byte[] {
            (byte) low, (byte) (low >>> 8), (byte) (low >>> 16), (byte) (low >>> 24), (byte) high, (byte) (high >>> 8)
        };
    }

    /** Writes the station address (RAL/RAH). Any IRQL. */
    static void writeStationAddress(RegisterSpace registers, byte[] address) {
        registers.write32(Registers.RAL, registerLow(address, 0));
        registers.write32(Registers.RAH, registerHigh(address, 0));
    }

    /** Writes a ring's base and size; the device resets its head and tail to 0. Unit disabled. */
    static void programRing(RegisterSpace registers, int baseLo, long physicalAddress, int size) {
        registers.write32(baseLo, (int) physicalAddress);
        registers.write32(baseLo + 4, (int) (physicalAddress >>> 32));
        registers.write32(baseLo + 8, size);
    }

    /**
     * Writes the multicast table: {@code addresses} holds {@code count} 6-byte group addresses back
     * to back; the other entries are invalidated. Any IRQL.
     */
    static void writeMulticastTable(RegisterSpace registers, byte[] addresses, int count) {
        for (int i = 0; i < MULTICAST_LIST_SIZE; i++) {
            if (i < count) {
                registers.write32(Registers.mtaLo(i), registerLow(addresses, 6 * i));
                registers.write32(Registers.mtaHi(i), registerHigh(addresses, 6 * i) | Registers.MTA_HI_VALID);
            } else {
                registers.write32(Registers.mtaHi(i), 0);
                registers.write32(Registers.mtaLo(i), 0);
            }
        }
    }

    /** NDIS_PACKET_TYPE_* → RCTL bits. The filter must be within {@link #SUPPORTED_PACKET_FILTERS}. */
    static int receiveControl(int packetFilter) {
        int rctl = 0;
        if ((packetFilter & NdisPacketType.NDIS_PACKET_TYPE_DIRECTED) != 0) {
            rctl |= Registers.RCTL_DIRECTED;
        }
        if ((packetFilter & NdisPacketType.NDIS_PACKET_TYPE_MULTICAST) != 0) {
            rctl |= Registers.RCTL_MULTICAST;
        }
        if ((packetFilter & NdisPacketType.NDIS_PACKET_TYPE_ALL_MULTICAST) != 0) {
            rctl |= Registers.RCTL_ALL_MULTICAST;
        }
        if ((packetFilter & NdisPacketType.NDIS_PACKET_TYPE_BROADCAST) != 0) {
            rctl |= Registers.RCTL_BROADCAST;
        }
        if ((packetFilter & NdisPacketType.NDIS_PACKET_TYPE_PROMISCUOUS) != 0) {
            rctl |= Registers.RCTL_PROMISCUOUS;
        }
        return rctl;
    }

    /** A 64-bit statistics counter: HI, LO, HI, again if HI moved meanwhile. Any IRQL. */
    static long readCounter(RegisterSpace registers, StatisticsCounter counter) {
        return read64(registers, Registers.statsLo(counter), Registers.statsHi(counter));
    }

    /**
     * What a statistics counter held when the last CTRL.RESET cleared it (STATS_AT_RESET: the reset
     * moves each counter there in one step). Any IRQL; stable until the next reset.
     */
    static long readCounterAtReset(RegisterSpace registers, StatisticsCounter counter) {
        return read64(registers, Registers.statsAtResetLo(counter), Registers.statsAtResetHi(counter));
    }

    private static long read64(RegisterSpace registers, int loOffset, int hiOffset) {
        for (; ; ) {
            int high = registers.read32(hiOffset);
            int low = registers.read32(loOffset);
            if (registers.read32(hiOffset) == high) {
                return ((long) high << 32) | (low & 0xFFFF_FFFFL);
            }
        }
    }

    /**
     * False when the NIC was pulled: a removed PCI device reads all ones, and STATUS never does on a
     * present one (its reserved bits read 0). A register read: any IRQL.
     */
    static boolean isPresent(RegisterSpace registers) {
        return registers.read32(Registers.STATUS) != Registers.ABSENT;
    }

    /** True when STATUS says the link is up. A register read: any IRQL. */
    static boolean isLinkUp(RegisterSpace registers) {
        int status = registers.read32(Registers.STATUS);
        return status != Registers.ABSENT && (status & Registers.STATUS_LINK_UP) != 0;
    }

    /**
     * Reads a PHY register through MDIC. Runs at PASSIVE_LEVEL: the access takes about a millisecond,
     * and the driver sleeps ({@code NdisMSleep}) between polls of READY. Returns the 16-bit value, or
     * -1 if the PHY answered with ERROR or not within {@link #PHY_POLL_LIMIT} polls.
     */
    static int readPhy(RegisterSpace registers, int phyRegister) {
        registers.write32(
                Registers.MDIC,
                Registers.MDIC_OP_READ
                        | (HardwareLimits.PHY_ADDRESS << Registers.MDIC_PHY_SHIFT)
                        | (phyRegister << Registers.MDIC_REG_SHIFT));
        for (int poll = 0; poll < PHY_POLL_LIMIT; poll++) {
            NdisM.sleep(PHY_POLL_MICROS);
            int mdic = registers.read32(Registers.MDIC);
            if ((mdic & Registers.MDIC_READY) != 0) {
                return (mdic & Registers.MDIC_ERROR) != 0 ? -1 : mdic & Registers.MDIC_DATA_MASK;
            }
        }
        return -1;
    }

    /**
     * The link state, from the PHY's real-time status register (PHYSR), or from STATUS if the PHY
     * does not answer. Runs at PASSIVE_LEVEL (a PHY read).
     */
    static NdisLinkState readLinkState(RegisterSpace registers) {
        int physr = readPhy(registers, PhyRegisters.PHYSR);
        boolean up;
        boolean fullDuplex;
        int speedCode;
        if (physr >= 0) {
            up = (physr & PhyRegisters.PHYSR_LINK) != 0;
            fullDuplex = (physr & PhyRegisters.PHYSR_FULL_DUPLEX) != 0;
            speedCode = (physr >>> PhyRegisters.PHYSR_SPEED_SHIFT) & 0b11;
        } else {
            int status = registers.read32(Registers.STATUS);
            if (status == Registers.ABSENT) {
                return NdisLinkState.disconnected(); // all ones: the NIC is gone
            }
            up = (status & Registers.STATUS_LINK_UP) != 0;
            fullDuplex = (status & Registers.STATUS_FULL_DUPLEX) != 0;
            speedCode = (status & Registers.STATUS_SPEED_MASK) >>> Registers.STATUS_SPEED_SHIFT;
        }
        if (!up) {
            return NdisLinkState.disconnected();
        }
        long speed = switch (speedCode) {
            case Registers.STATUS_SPEED_10 -> 10_000_000L;
            case Registers.STATUS_SPEED_100 -> 100_000_000L;
            default -> 1_000_000_000L;
        };
        return new NdisLinkState(
                MediaConnectState.MediaConnectStateConnected,
                fullDuplex ? MediaDuplexState.MediaDuplexStateFull : MediaDuplexState.MediaDuplexStateHalf,
                speed,
                speed);
    }

    /** Bytes 0-3 of the address at {@code offset}, first byte in bits 7:0 (RAL, MTA_LO). */
    private static int registerLow(byte[] address, int offset) {
        return (address[offset] & 0xFF)
                | (address[offset + 1] & 0xFF) << 8
                | (address[offset + 2] & 0xFF) << 16
                | (address[offset + 3] & 0xFF) << 24;
    }

    /** Bytes 4-5 of the address at {@code offset} in bits 15:0 (RAH, MTA_HI). */
    private static int registerHigh(byte[] address, int offset) {
        return (address[offset + 4] & 0xFF) | (address[offset + 5] & 0xFF) << 8;
    }
}
