package org.ndis4j.examples.vlanfilter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import org.ndis4j.ndis.oid.NdisObjectHeader;
import org.ndis4j.ndis.oid.NdisOidRequest;

/**
 * The filter's policy: an 802.1Q VLAN to tag sends with and accept receives from (0: none), the
 * priority code point of the tags it inserts, and the EtherTypes it drops both ways.
 *
 * <p>Its OID payload (OID_VLANFILTER_POLICY), little-endian as NDIS structures are:
 * <pre>
 *   0x00  NDIS_OBJECT_HEADER   Type 0x80, Revision 1, Size 40
 *   0x04  USHORT VlanId        0 = no VLAN, else 1..4094
 *   0x06  UCHAR  Priority      0..7
 *   0x07  UCHAR  DropCount     0..16
 *   0x08  USHORT DropEtherTypes[16]   the first DropCount count
 * </pre>
 *
 * @param vlanId         0, or the VLAN (1..4094): sends are tagged with it, receives must carry it and are untagged
 * @param priority       the PCP of inserted tags (0..7)
 * @param dropEtherTypes EtherTypes dropped in both directions (at most 16)
 */
public record VlanPolicy(int vlanId, int priority, int[] dropEtherTypes) {

    public static final int REVISION = 1;
    public static final int SIZE = 40;
    public static final int MAX_DROPPED = 16;
    /** No VLAN, nothing dropped: the filter only counts. */
    public static final VlanPolicy NONE = new VlanPolicy(0, 0, new int[0]);

    public VlanPolicy {
        if (vlanId < 0 || vlanId > 4094 || priority < 0 || priority > 7 || dropEtherTypes.length > MAX_DROPPED) {
            throw new IllegalArgumentException("VLAN " + vlanId + " (0..4094), priority " + priority + " (0..7), "
                    + dropEtherTypes.length + " dropped EtherTypes (at most " + MAX_DROPPED + ")");
        }
        for (int type : dropEtherTypes) {
            if (type < 0 || type > 0xffff) {
                throw new IllegalArgumentException("EtherType 0x" + Integer.toHexString(type) + " is not 16 bits");
            }
        }
        dropEtherTypes = dropEtherTypes.clone();
    }

    public static VlanPolicy vlan(int vlanId) {
        return new VlanPolicy(vlanId, 0, new int[0]);
    }

    public static VlanPolicy dropping(int... etherTypes) {
        return new VlanPolicy(0, 0, etherTypes);
    }

    @Override
    public int[] dropEtherTypes() {
        return dropEtherTypes.clone();
    }

    /** The OID payload. */
    public byte[] toBytes() {
        byte[] bytes = new byte[SIZE];
        new NdisObjectHeader(NdisObjectHeader.NDIS_OBJECT_TYPE_DEFAULT, REVISION, SIZE).encode(bytes, 0);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(4, (short) vlanId);
        b.put(6, (byte) priority);
        b.put(7, (byte) dropEtherTypes.length);
        for (int i = 0; i < dropEtherTypes.length; i++) {
            b.putShort(8 + 2 * i, (short) dropEtherTypes[i]);
        }
        return bytes;
    }

    /**
     * Reads a payload; throws {@link IllegalArgumentException} naming what is wrong (a short buffer,
     * a header that is not this structure's, a value out of range).
     */
    public static VlanPolicy fromBytes(byte[] bytes, int length) {
        if (length < SIZE) {
            throw new IllegalArgumentException("a policy is " + SIZE + " bytes, not " + length);
        }
        NdisObjectHeader header = NdisObjectHeader.decode(bytes, 0);
        if (header.type() != NdisObjectHeader.NDIS_OBJECT_TYPE_DEFAULT
                || header.revision() != REVISION
                || header.size() < SIZE) {
            throw new IllegalArgumentException("not a revision-" + REVISION + " policy: " + header);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int count = b.get(7) & 0xff;
        if (count > MAX_DROPPED) {
            throw new IllegalArgumentException(count + " dropped EtherTypes, at most " + MAX_DROPPED);
        }
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = b.getShort(8 + 2 * i) & 0xffff;
        }
        return new VlanPolicy(b.getShort(4) & 0xffff, b.get(6) & 0xff, types);
    }

    /** An OID_VLANFILTER_POLICY set request carrying this policy. */
    public NdisOidRequest setRequest() {
        return NdisOidRequest.set(VlanFilterOids.OID_VLANFILTER_POLICY, toBytes());
    }

    /** An OID_VLANFILTER_POLICY query request. */
    public static NdisOidRequest queryRequest() {
        return NdisOidRequest.query(VlanFilterOids.OID_VLANFILTER_POLICY, SIZE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VlanPolicy p
                && p.vlanId == vlanId
                && p.priority == priority
                && Arrays.equals(p.dropEtherTypes, dropEtherTypes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * vlanId + priority) + Arrays.hashCode(dropEtherTypes);
    }

    @Override
    public String toString() {
        StringBuilder s =
                new StringBuilder(vlanId == 0 ? "no VLAN" : "VLAN " + vlanId + " (priority " + priority + ")");
        s.append(", drop ");
        if (dropEtherTypes.length == 0) {
            s.append("nothing");
        }
        for (int i = 0; i < dropEtherTypes.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "0x%04x", dropEtherTypes[i]));
        }
        return s.toString();
    }
}
