package org.ndis4j.ndis.oid;

/**
 * NDIS_OBJECT_HEADER: the 4 bytes in front of every NDIS 6 structure.
 *
 * <pre>
 *   0        1          2               4
 *   +--------+----------+---------------+
 *   |  Type  | Revision | Size (USHORT) |
 *   +--------+----------+---------------+
 * </pre>
 *
 * @param type     NDIS_OBJECT_TYPE_*, e.g. {@link #NDIS_OBJECT_TYPE_DEFAULT}
 * @param revision the structure's revision
 * @param size     the structure's size in bytes (NDIS_SIZEOF_..._REVISION_n)
 */
public record NdisObjectHeader(int type, int revision, int size) {

    /** sizeof(NDIS_OBJECT_HEADER). */
    public static final int SIZE = 4;
    /** NDIS_OBJECT_TYPE_DEFAULT: the type is implicit in the call (link state, statistics). */
    public static final int NDIS_OBJECT_TYPE_DEFAULT = 0x80;
    /** NDIS_OBJECT_TYPE_OID_REQUEST. */
    public static final int NDIS_OBJECT_TYPE_OID_REQUEST = 0x96;

    public NdisObjectHeader {
        if (type < 0 || type > 0xFF || revision < 0 || revision > 0xFF || size < 0 || size > 0xFFFF) {
            throw new IllegalArgumentException(
                    "NDIS_OBJECT_HEADER out of range: type " + type + ", revision " + revision + ", size " + size);
        }
    }

    /** Writes the header at {@code offset}. */
    public void encode(byte[] buffer, int offset) {
        buffer[offset] = (byte) type;
        buffer[offset + 1] = (byte) revision;
        LittleEndian.putShort(buffer, offset + 2, size);
    }

    /** Reads a header at {@code offset}; the buffer must hold 4 bytes there. */
    public static NdisObjectHeader decode(byte[] buffer, int offset) {
        if (buffer.length < offset + SIZE) {
            throw new IllegalArgumentException(
                    "NDIS_OBJECT_HEADER needs 4 bytes at offset " + offset + ", the buffer has " + buffer.length);
        }
        return new NdisObjectHeader(
                buffer[offset] & 0xFF, buffer[offset + 1] & 0xFF, LittleEndian.getShort(buffer, offset + 2));
    }
}
