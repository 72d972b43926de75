package org.ndis4j.examples.vlanfilter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ndis4j.ndis.oid.NdisObjectHeader;
import org.ndis4j.ndis.oid.NdisOidRequest;

/**
 * What the filter counted (OID_VLANFILTER_STATISTICS): frames per EtherType in each direction (the
 * EtherType after any 802.1Q tag), and what it dropped or changed.
 *
 * <p>The OID payload, little-endian:
 * <pre>
 *   0x00  NDIS_OBJECT_HEADER   Type 0x80, Revision 1, Size 56 + 24 × EntryCount
 *   0x04  ULONG   EntryCount
 *   0x08  ULONG64 PolicyDropsSend      0x10  ULONG64 PolicyDropsReceive
 *   0x18  ULONG64 VlanMismatchDrops    0x20  ULONG64 TagsInserted
 *   0x28  ULONG64 TagsStripped         0x30  ULONG64 ResourceDrops
 *   0x38  entries: { USHORT EtherType; USHORT, ULONG reserved; ULONG64 Sent; ULONG64 Received } × EntryCount
 * </pre>
 * Entries are the EtherTypes seen, in increasing order, at most {@link #MAX_ENTRIES}.
 */
public record VlanFilterStatistics(
        Map<Integer, Long> sent,
        Map<Integer, Long> received,
        long policyDropsSend,
        long policyDropsReceive,
        long vlanMismatchDrops,
        long tagsInserted,
        long tagsStripped,
        long resourceDrops) {

    public static final int REVISION = 1;
    static final int FIXED_SIZE = 0x38;
    static final int ENTRY_SIZE = 24;
    public static final int MAX_ENTRIES = 256;

    public VlanFilterStatistics {
        sent = Collections.unmodifiableMap(new TreeMap<>(sent));
        received = Collections.unmodifiableMap(new TreeMap<>(received));
    }

    public long sent(int etherType) {
        return sent.getOrDefault(etherType, 0L);
    }

    public long received(int etherType) {
        return received.getOrDefault(etherType, 0L);
    }

    /** Everything the filter dropped. */
    public long drops() {
        return policyDropsSend + policyDropsReceive + vlanMismatchDrops + resourceDrops;
    }

    /** A query request with room for {@link #MAX_ENTRIES} entries. */
    public static NdisOidRequest queryRequest() {
        return NdisOidRequest.query(VlanFilterOids.OID_VLANFILTER_STATISTICS, FIXED_SIZE + MAX_ENTRIES * ENTRY_SIZE);
    }

    /** The OID payload. */
    public byte[] toBytes() {
        TreeMap<Integer, long[]> entries = new TreeMap<>();
        sent.forEach((type, n) -> entries.computeIfAbsent(type, t -> new long[2])[0] = n);
        received.forEach((type, n) -> entries.computeIfAbsent(type, t -> new long[2])[1] = n);
        int size = FIXED_SIZE + ENTRY_SIZE * entries.size();
        byte[] bytes = new byte[size];
        new NdisObjectHeader(NdisObjectHeader.NDIS_OBJECT_TYPE_DEFAULT, REVISION, size).encode(bytes, 0);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4, entries.size());
        b.putLong(0x08, policyDropsSend).putLong(0x10, policyDropsReceive).putLong(0x18, vlanMismatchDrops);
        b.putLong(0x20, tagsInserted).putLong(0x28, tagsStripped).putLong(0x30, resourceDrops);
        int o = FIXED_SIZE;
        for (Map.Entry<Integer, long[]> e : entries.entrySet()) {
            b.putShort(o, e.getKey().shortValue());
            b.putLong(o + 8, e.getValue()[0]);
            b.putLong(o + 16, e.getValue()[1]);
            o += ENTRY_SIZE;
        }
        return bytes;
    }

    /** Reads a payload (what a query returned). */
    public static VlanFilterStatistics fromBytes(byte[] bytes) {
        if (bytes.length < FIXED_SIZE) {
            throw new IllegalArgumentException("statistics are at least " + FIXED_SIZE + " bytes, not " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int count = b.getInt(4);
        if (count < 0 || FIXED_SIZE + (long) count * ENTRY_SIZE > bytes.length) {
            throw new IllegalArgumentException(count + " entries do not fit " + bytes.length + " bytes");
        }
        Map<Integer, Long> sent = new TreeMap<>();
        Map<Integer, Long> received = new TreeMap<>();
        for (int i = 0, o = FIXED_SIZE; i < count; i++, o += ENTRY_SIZE) {
            int type = b.getShort(o) & 0xffff;
            if (b.getLong(o + 8) != 0) {
                sent.put(type, b.getLong(o + 8));
            }
            if (b.getLong(o + 16) != 0) {
                received.put(type, b.getLong(o + 16));
            }
        }
        return new VlanFilterStatistics(
                sent,
                received,
                b.getLong(0x08),
                b.getLong(0x10),
                b.getLong(0x18),
                b.getLong(0x20),
                b.getLong(0x28),
                b.getLong(0x30));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        TreeMap<Integer, Boolean> types = new TreeMap<>();
        sent.keySet().forEach(t -> types.put(t, true));
        received.keySet().forEach(t -> types.put(t, true));
        for (int type : types.keySet()) {
            s.append(String.format(Locale.ROOT, "0x%04x sent %d received %d; ", type, sent(type), received(type)));
        }
        return s.append(String.format(
                        Locale.ROOT,
                        "policy drops %d/%d, VLAN mismatches %d, tags inserted %d, stripped %d, no resources %d",
                        policyDropsSend,
                        policyDropsReceive,
                        vlanMismatchDrops,
                        tagsInserted,
                        tagsStripped,
                        resourceDrops))
                .toString();
    }
}
