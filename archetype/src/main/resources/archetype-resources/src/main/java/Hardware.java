package ${package};

import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.types.MediaConnectState;
import org.ndis4j.ndis.types.MediaDuplexState;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;

/**
 * The hardware: every size the driver chooses, and the register helpers, as the virtual NIC's
 * datasheet describes them (netvmini's hardware.h). Change the numbers here, not in the code that
 * uses them.
 *
 * <pre>
 *   one block of shared memory (NdisMAllocateSharedMemory)
 *   ┌────────────────────┬────────────────────┬─────────────────────────────┬─────────────────────────────┐
 *   │ transmit ring      │ receive ring       │ transmit buffers            │ receive buffers             │
 *   │ TX_RING_SIZE × 16 B│ RX_RING_SIZE × 16 B│ TX_RING_SIZE × BUFFER_SIZE  │ RCB_COUNT × BUFFER_SIZE     │
 *   └────────────────────┴────────────────────┴─────────────────────────────┴─────────────────────────────┘
 * </pre>
 *
 * Register accesses never wait: the helpers run at any IRQL.
 */
final class Hardware {

    /** Transmit descriptors (a power of two). One slot always stays empty. */
    static final int TX_RING_SIZE = 64;
    /** Receive descriptors (a power of two). */
    static final int RX_RING_SIZE = 64;
    /** Receive control blocks: one per postable receive descriptor (the ring keeps one slot empty). */
    static final int RCB_COUNT = RX_RING_SIZE - 1;
    /** Bytes of each transmit and receive buffer: the largest frame, rounded up. */
    static final int BUFFER_SIZE = 2048;
    /** MTU: payload bytes of the largest frame. */
    static final int MTU = 1500;
    /** Longest frame handed to the device (one 802.1Q tag allowed), and the shortest: a header. */
    static final int MAX_FRAME_LENGTH = HardwareLimits.MAX_FRAME_LENGTH;

    static final int MIN_FRAME_LENGTH = HardwareLimits.ETHERNET_HEADER_LENGTH;
    /** Fastest link the device reaches (bits/s). */
    static final long MAX_LINK_SPEED = 1_000_000_000L;
    /** Minimum interval between two interrupts (ITR), µs: a burst of frames makes one interrupt. */
    static final int INTERRUPT_THROTTLE_MICROS = 20;
    /** The causes the ISR handles; IMS gets exactly these. */
    static final int INTERRUPT_CAUSES =
            Registers.INT_TX_DONE | Registers.INT_RX | Registers.INT_RX_OVERRUN | Registers.INT_LINK_STATUS_CHANGE;
    /**
     * Packet filters the driver supports. The skeleton does not program the device's multicast table:
     * NDIS_PACKET_TYPE_MULTICAST receives every multicast frame (a superset, which NDIS allows; the
     * protocols drop groups they did not join). vmini programs the table.
     */
    static final int SUPPORTED_PACKET_FILTERS = NdisPacketType.NDIS_PACKET_TYPE_DIRECTED
            | NdisPacketType.NDIS_PACKET_TYPE_BROADCAST
            | NdisPacketType.NDIS_PACKET_TYPE_MULTICAST
            | NdisPacketType.NDIS_PACKET_TYPE_ALL_MULTICAST
            | NdisPacketType.NDIS_PACKET_TYPE_PROMISCUOUS;
    /** OID_802_3_MAXIMUM_LIST_SIZE: multicast groups a protocol may set. */
    static final int MULTICAST_LIST_SIZE = 32;
    /** Pool tag of the receive NBL pool, four ASCII characters read backwards: 'Skrx'. */
    static final int RECEIVE_POOL_TAG = 0x7872_6B53;

    static final int TX_RING_OFFSET = 0;
    static final int RX_RING_OFFSET = TX_RING_OFFSET + TX_RING_SIZE * HardwareLimits.DESCRIPTOR_LENGTH;
    static final int TX_BUFFERS_OFFSET = RX_RING_OFFSET + RX_RING_SIZE * HardwareLimits.DESCRIPTOR_LENGTH;
    static final int RX_BUFFERS_OFFSET = TX_BUFFERS_OFFSET + TX_RING_SIZE * BUFFER_SIZE;
    static final int SHARED_MEMORY_LENGTH = RX_BUFFERS_OFFSET + RCB_COUNT * BUFFER_SIZE;

    private Hardware() {}

    /** CTRL.RESET, then a read of ICR to drop the causes left from power-on. */
    static void reset(RegisterSpace registers) {
        registers.write32(Registers.CTRL, Registers.CTRL_RESET);
        registers.read32(Registers.ICR);
    }

    /** The station address in RAL/RAH: after a reset, the permanent address from the EEPROM. */
    static byte[] readStationAddress(RegisterSpace registers) {
        int low = registers.read32(Registers.RAL);
        int high = registers.read32(Registers.RAH);
        return new byte[] {
            (byte) low, (byte) (low >>> 8), (byte) (low >>> 16), (byte) (low >>> 24), (byte) high, (byte) (high >>> 8)
        };
    }

    /** Writes a ring's base and size; the device sets its head and tail to 0. */
    static void programRing(RegisterSpace registers, int baseLo, long physicalAddress, int size) {
        registers.write32(baseLo + Registers.RING_BASE_LO, (int) physicalAddress);
        registers.write32(baseLo + Registers.RING_BASE_HI, (int) (physicalAddress >>> 32));
        registers.write32(baseLo + Registers.RING_SIZE, size);
    }

    /** NDIS_PACKET_TYPE_* to receive control (RCTL) bits; only {@link #SUPPORTED_PACKET_FILTERS} map. */
    static int receiveControl(int packetFilter) {
        int rctl = 0;
        if ((packetFilter & NdisPacketType.NDIS_PACKET_TYPE_DIRECTED) != 0) {
            rctl |= Registers.RCTL_DIRECTED;
        }
        if ((packetFilter & NdisPacketType.NDIS_PACKET_TYPE_BROADCAST) != 0) {
            rctl |= Registers.RCTL_BROADCAST;
        }
        if ((packetFilter & (NdisPacketType.NDIS_PACKET_TYPE_MULTICAST | NdisPacketType.NDIS_PACKET_TYPE_ALL_MULTICAST))
                != 0) {
            rctl |= Registers.RCTL_ALL_MULTICAST;
        }
        if ((packetFilter & NdisPacketType.NDIS_PACKET_TYPE_PROMISCUOUS) != 0) {
            rctl |= Registers.RCTL_PROMISCUOUS;
        }
        return rctl;
    }

    /**
     * The link state from the STATUS register (a real driver with a slow PHY reads the PHY from a
     * PASSIVE_LEVEL work item instead; see the examples' vmini). A NIC that reads all ones is gone.
     */
    static NdisLinkState readLinkState(RegisterSpace registers) {
        int status = registers.read32(Registers.STATUS);
        if (status == Registers.ABSENT || (status & Registers.STATUS_LINK_UP) == 0) {
            return NdisLinkState.disconnected();
        }
        long speed = switch ((status & Registers.STATUS_SPEED_MASK) >>> Registers.STATUS_SPEED_SHIFT) {
            case Registers.STATUS_SPEED_10 -> 10_000_000L;
            case Registers.STATUS_SPEED_100 -> 100_000_000L;
            default -> 1_000_000_000L;
        };
        return new NdisLinkState(
                MediaConnectState.MediaConnectStateConnected,
                (status & Registers.STATUS_FULL_DUPLEX) != 0
                        ? MediaDuplexState.MediaDuplexStateFull
                        : MediaDuplexState.MediaDuplexStateHalf,
                speed,
                speed);
    }
}
