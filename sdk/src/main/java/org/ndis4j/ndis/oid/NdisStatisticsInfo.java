package org.ndis4j.ndis.oid;

/**
 * NDIS_STATISTICS_INFO (revision 1, 152 bytes): the payload of OID_GEN_STATISTICS, which every NDIS 6
 * miniport answers itself. {@code supportedStatistics} says which counters are valid
 * (NDIS_STATISTICS_FLAGS_VALID_*).
 *
 * <pre>
 *   0x00  NDIS_OBJECT_HEADER  Type 0x80 (DEFAULT), Revision 1, Size 152
 *   0x04  ULONG   SupportedStatistics
 *   0x08  ULONG64 ifInDiscards           0x50  ULONG64 ifHCOutBroadcastPkts
 *   0x10  ULONG64 ifInErrors             0x58  ULONG64 ifOutErrors
 *   0x18  ULONG64 ifHCInOctets           0x60  ULONG64 ifOutDiscards
 *   0x20  ULONG64 ifHCInUcastPkts        0x68  ULONG64 ifHCInUcastOctets
 *   0x28  ULONG64 ifHCInMulticastPkts    0x70  ULONG64 ifHCInMulticastOctets
 *   0x30  ULONG64 ifHCInBroadcastPkts    0x78  ULONG64 ifHCInBroadcastOctets
 *   0x38  ULONG64 ifHCOutOctets          0x80  ULONG64 ifHCOutUcastOctets
 *   0x40  ULONG64 ifHCOutUcastPkts       0x88  ULONG64 ifHCOutMulticastOctets
 *   0x48  ULONG64 ifHCOutMulticastPkts   0x90  ULONG64 ifHCOutBroadcastOctets
 * </pre>
 */
public record NdisStatisticsInfo(
        int supportedStatistics,
        long ifInDiscards,
        long ifInErrors,
        long ifHCInOctets,
        long ifHCInUcastPkts,
        long ifHCInMulticastPkts,
        long ifHCInBroadcastPkts,
        long ifHCOutOctets,
        long ifHCOutUcastPkts,
        long ifHCOutMulticastPkts,
        long ifHCOutBroadcastPkts,
        long ifOutErrors,
        long ifOutDiscards,
        long ifHCInUcastOctets,
        long ifHCInMulticastOctets,
        long ifHCInBroadcastOctets,
        long ifHCOutUcastOctets,
        long ifHCOutMulticastOctets,
        long ifHCOutBroadcastOctets) {

    /** NDIS_STATISTICS_INFO_REVISION_1. */
    public static final int REVISION_1 = 1;
    /** NDIS_SIZEOF_STATISTICS_INFO_REVISION_1. */
    public static final int SIZE = 152;

    public static final int NDIS_STATISTICS_FLAGS_VALID_DIRECTED_FRAMES_RCV = 0x00000001;
    public static final int NDIS_STATISTICS_FLAGS_VALID_MULTICAST_FRAMES_RCV = 0x00000002;
    public static final int NDIS_STATISTICS_FLAGS_VALID_BROADCAST_FRAMES_RCV = 0x00000004;
    public static final int NDIS_STATISTICS_FLAGS_VALID_BYTES_RCV = 0x00000008;
    public static final int NDIS_STATISTICS_FLAGS_VALID_RCV_DISCARDS = 0x00000010;
    public static final int NDIS_STATISTICS_FLAGS_VALID_RCV_ERROR = 0x00000020;
    public static final int NDIS_STATISTICS_FLAGS_VALID_DIRECTED_FRAMES_XMIT = 0x00000040;
    public static final int NDIS_STATISTICS_FLAGS_VALID_MULTICAST_FRAMES_XMIT = 0x00000080;
    public static final int NDIS_STATISTICS_FLAGS_VALID_BROADCAST_FRAMES_XMIT = 0x00000100;
    public static final int NDIS_STATISTICS_FLAGS_VALID_BYTES_XMIT = 0x00000200;
    public static final int NDIS_STATISTICS_FLAGS_VALID_XMIT_ERROR = 0x00000400;
    public static final int NDIS_STATISTICS_FLAGS_VALID_XMIT_DISCARDS = 0x00008000;
    public static final int NDIS_STATISTICS_FLAGS_VALID_DIRECTED_BYTES_RCV = 0x00010000;
    public static final int NDIS_STATISTICS_FLAGS_VALID_MULTICAST_BYTES_RCV = 0x00020000;
    public static final int NDIS_STATISTICS_FLAGS_VALID_BROADCAST_BYTES_RCV = 0x00040000;
    public static final int NDIS_STATISTICS_FLAGS_VALID_DIRECTED_BYTES_XMIT = 0x00080000;
    public static final int NDIS_STATISTICS_FLAGS_VALID_MULTICAST_BYTES_XMIT = 0x00100000;
    public static final int NDIS_STATISTICS_FLAGS_VALID_BROADCAST_BYTES_XMIT = 0x00200000;

    /** The 18 counters in structure order. */
    private long[] counters() {
        return new long[] {
            ifInDiscards,
            ifInErrors,
            ifHCInOctets,
            ifHCInUcastPkts,
            ifHCInMulticastPkts,
            ifHCInBroadcastPkts,
            ifHCOutOctets,
            ifHCOutUcastPkts,
            ifHCOutMulticastPkts,
            ifHCOutBroadcastPkts,
            ifOutErrors,
            ifOutDiscards,
            ifHCInUcastOctets,
            ifHCInMulticastOctets,
            ifHCInBroadcastOctets,
            ifHCOutUcastOctets,
            ifHCOutMulticastOctets,
            ifHCOutBroadcastOctets
        };
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        new NdisObjectHeader(NdisObjectHeader.NDIS_OBJECT_TYPE_DEFAULT, REVISION_1, SIZE).encode(b, 0);
        LittleEndian.putInt(b, 0x04, supportedStatistics);
        long[] c = counters();
        for (int i = 0; i < c.length; i++) {
            LittleEndian.putLong(b, 0x08 + 8 * i, c[i]);
        }
        return b;
    }

    public static NdisStatisticsInfo decode(byte[] b) {
        NdisObjectHeader header = NdisObjectHeader.decode(b, 0);
        if (header.revision() < REVISION_1 || header.size() < SIZE || b.length < SIZE) {
            throw new IllegalArgumentException(
                    "not an NDIS_STATISTICS_INFO revision 1: " + header + ", " + b.length + " bytes");
        }
        long[] c = new long[18];
        for (int i = 0; i < c.length; i++) {
            c[i] = LittleEndian.getLong(b, 0x08 + 8 * i);
        }
        return new NdisStatisticsInfo(
                LittleEndian.getInt(b, 0x04),
                c[0],
                c[1],
                c[2],
                c[3],
                c[4],
                c[5],
                c[6],
                c[7],
                c[8],
                c[9],
                c[10],
                c[11],
                c[12],
                c[13],
                c[14],
                c[15],
                c[16],
                c[17]);
    }

    /**
     * A builder: every counter by its NDIS name, 0 unless set; set SupportedStatistics to the
     * NDIS_STATISTICS_FLAGS_VALID_* bits of the counters the miniport keeps.
     *
     * <pre>
     *   NdisStatisticsInfo.builder()
     *           .supportedStatistics(NDIS_STATISTICS_FLAGS_VALID_DIRECTED_FRAMES_RCV | ...)
     *           .ifHCInUcastPkts(rxDirected)
     *           .ifHCOutOctets(txBytes)
     *           .build();
     * </pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an NDIS_STATISTICS_INFO by field name. */
    public static final class Builder {

        private int supportedStatistics;
        private long ifInDiscards;
        private long ifInErrors;
        private long ifHCInOctets;
        private long ifHCInUcastPkts;
        private long ifHCInMulticastPkts;
        private long ifHCInBroadcastPkts;
        private long ifHCOutOctets;
        private long ifHCOutUcastPkts;
        private long ifHCOutMulticastPkts;
        private long ifHCOutBroadcastPkts;
        private long ifOutErrors;
        private long ifOutDiscards;
        private long ifHCInUcastOctets;
        private long ifHCInMulticastOctets;
        private long ifHCInBroadcastOctets;
        private long ifHCOutUcastOctets;
        private long ifHCOutMulticastOctets;
        private long ifHCOutBroadcastOctets;

        private Builder() {}

        /** SupportedStatistics: NDIS_STATISTICS_FLAGS_VALID_* bits. */
        public Builder supportedStatistics(int flags) {
            this.supportedStatistics = flags;
            return this;
        }

        public Builder ifInDiscards(long value) {
            this.ifInDiscards = value;
            return this;
        }

        public Builder ifInErrors(long value) {
            this.ifInErrors = value;
            return this;
        }

        public Builder ifHCInOctets(long value) {
            this.ifHCInOctets = value;
            return this;
        }

        public Builder ifHCInUcastPkts(long value) {
            this.ifHCInUcastPkts = value;
            return this;
        }

        public Builder ifHCInMulticastPkts(long value) {
            this.ifHCInMulticastPkts = value;
            return this;
        }

        public Builder ifHCInBroadcastPkts(long value) {
            this.ifHCInBroadcastPkts = value;
            return this;
        }

        public Builder ifHCOutOctets(long value) {
            this.ifHCOutOctets = value;
            return this;
        }

        public Builder ifHCOutUcastPkts(long value) {
            this.ifHCOutUcastPkts = value;
            return this;
        }

        public Builder ifHCOutMulticastPkts(long value) {
            this.ifHCOutMulticastPkts = value;
            return this;
        }

        public Builder ifHCOutBroadcastPkts(long value) {
            this.ifHCOutBroadcastPkts = value;
            return this;
        }

        public Builder ifOutErrors(long value) {
            this.ifOutErrors = value;
            return this;
        }

        public Builder ifOutDiscards(long value) {
            this.ifOutDiscards = value;
            return this;
        }

        public Builder ifHCInUcastOctets(long value) {
            this.ifHCInUcastOctets = value;
            return this;
        }

        public Builder ifHCInMulticastOctets(long value) {
            this.ifHCInMulticastOctets = value;
            return this;
        }

        public Builder ifHCInBroadcastOctets(long value) {
            this.ifHCInBroadcastOctets = value;
            return this;
        }

        public Builder ifHCOutUcastOctets(long value) {
            this.ifHCOutUcastOctets = value;
            return this;
        }

        public Builder ifHCOutMulticastOctets(long value) {
            this.ifHCOutMulticastOctets = value;
            return this;
        }

        public Builder ifHCOutBroadcastOctets(long value) {
            this.ifHCOutBroadcastOctets = value;
            return this;
        }

        public NdisStatisticsInfo build() {
            return new NdisStatisticsInfo(
                    supportedStatistics,
                    ifInDiscards,
                    ifInErrors,
                    ifHCInOctets,
                    ifHCInUcastPkts,
                    ifHCInMulticastPkts,
                    ifHCInBroadcastPkts,
                    ifHCOutOctets,
                    ifHCOutUcastPkts,
                    ifHCOutMulticastPkts,
                    ifHCOutBroadcastPkts,
                    ifOutErrors,
                    ifOutDiscards,
                    ifHCInUcastOctets,
                    ifHCInMulticastOctets,
                    ifHCInBroadcastOctets,
                    ifHCOutUcastOctets,
                    ifHCOutMulticastOctets,
                    ifHCOutBroadcastOctets);
        }
    }
}
