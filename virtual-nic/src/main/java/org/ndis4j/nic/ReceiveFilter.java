package org.ndis4j.nic;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.Registers;

/**
 * The hardware receive filter: receive control (RCTL), the station address (RAL/RAH) and the
 * exact-match multicast table (MTA_LO/MTA_HI[0..31]).
 *
 * <p>A frame is accepted when any enabled rule matches its destination address (bytes 0-5):
 * <pre>
 *   PROMISCUOUS                          any frame
 *   BROADCAST      ff:ff:ff:ff:ff:ff
 *   ALL_MULTICAST  group bit (bit 0 of byte 0) set, not broadcast
 *   MULTICAST      group bit set and equal to a VALID multicast table entry
 *   DIRECTED       equal to the station address
 * </pre>
 *
 * <p>Addresses are held as 48-bit numbers with the first byte on the wire most significant, so the
 * per-frame check is a few comparisons and allocates nothing.
 */
final class ReceiveFilter {

    /** {@link #classify} result for a frame the filter rejects. */
    static final int REJECTED = -1;

    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    private static final int ENTRIES = HardwareLimits.MULTICAST_TABLE_ENTRIES;

    private final MacAddress permanentAddress;

    /** Guards every field below. */
    private final Object lock = new Object();

    private int control;
    private int stationLo;
    private int stationHi;
    private long station;
    private final int[] tableLo = new int[ENTRIES];
    private final int[] tableHi = new int[ENTRIES];
    /** Decoded valid entries, {@code validEntries} of them, for the per-frame check. */
    private final long[] groups = new long[ENTRIES];

    private int validEntries;

    /** A filter whose station address resets to {@code permanentAddress}. */
    ReceiveFilter(MacAddress permanentAddress) {
        this.permanentAddress = permanentAddress;
        reset();
    }

    /**
     * Applies the filter to a frame of at least an Ethernet header. Returns {@link #REJECTED}, or
     * the receive descriptor status bits that describe the destination (0 for unicast).
     */
    int classify(ByteBuf frame) {
        long destination = frame.getLong(frame.readerIndex()) >>> 16; // bytes 0-5, in one read
        boolean group = (destination & (1L << 40)) != 0;
        int status = destination == BROADCAST
                ? ReceiveDescriptor.STATUS_BROADCAST
                : group ? ReceiveDescriptor.STATUS_MULTICAST : 0;
        synchronized (lock) {
            if ((control & Registers.RCTL_PROMISCUOUS) != 0) {
                return status;
            }
            if (status == ReceiveDescriptor.STATUS_BROADCAST) {
                return (control & Registers.RCTL_BROADCAST) != 0 ? status : REJECTED;
            }
            if (group) {
                if ((control & Registers.RCTL_ALL_MULTICAST) != 0) {
                    return status;
                }
                return (control & Registers.RCTL_MULTICAST) != 0 && inTable(destination) ? status : REJECTED;
            }
            return (control & Registers.RCTL_DIRECTED) != 0 && destination == station ? status : REJECTED;
        }
    }

    private boolean inTable(long destination) {
        for (int i = 0; i < validEntries; i++) {
            if (groups[i] == destination) {
                return true;
            }
        }
        return false;
    }

    int readControl() {
        synchronized (lock) {
            return control;
        }
    }

    void writeControl(int value) {
        synchronized (lock) {
            control = value & Registers.RCTL_ALL;
        }
    }

    int readStation(boolean high) {
        synchronized (lock) {
            return high ? stationHi : stationLo;
        }
    }

    void writeStation(boolean high, int value) {
        synchronized (lock) {
            if (high) {
                stationHi = value & 0xFFFF;
            } else {
                stationLo = value;
            }
            station = MacAddress.valueFromRegisters(stationLo, stationHi);
        }
    }

    /** Reads MTA_LO/MTA_HI of entry {@code index}. */
    int readTable(int index, boolean high) {
        synchronized (lock) {
            return high ? tableHi[index] : tableLo[index];
        }
    }

    /** Writes MTA_LO/MTA_HI of entry {@code index}; the entry filters while its VALID bit is set. */
    void writeTable(int index, boolean high, int value) {
        synchronized (lock) {
            if (high) {
                tableHi[index] = value & (Registers.MTA_HI_VALID | 0xFFFF);
            } else {
                tableLo[index] = value;
            }
            validEntries = 0;
            for (int i = 0; i < ENTRIES; i++) {
                if ((tableHi[i] & Registers.MTA_HI_VALID) != 0) {
                    groups[validEntries++] = MacAddress.valueFromRegisters(tableLo[i], tableHi[i]);
                }
            }
        }
    }

    /** Device reset: nothing accepted, station address back to the permanent one, table empty. */
    void reset() {
        synchronized (lock) {
            control = 0;
            stationLo = permanentAddress.registerLow();
            stationHi = permanentAddress.registerHigh();
            station = permanentAddress.value();
            Arrays.fill(tableLo, 0);
            Arrays.fill(tableHi, 0);
            validEntries = 0;
        }
    }
}
