package org.ndis4j.ndis.oid;

/** Little-endian ULONG / ULONG64 access to information buffers (Windows byte order). */
final class LittleEndian {

    private LittleEndian() {}

    static int getInt(byte[] b, int offset) {
        return (b[offset] & 0xFF)
                | (b[offset + 1] & 0xFF) << 8
                | (b[offset + 2] & 0xFF) << 16
                | (b[offset + 3] & 0xFF) << 24;
    }

    static long getLong(byte[] b, int offset) {
        return (getInt(b, offset) & 0xFFFFFFFFL) | (long) getInt(b, offset + 4) << 32;
    }

    static int getShort(byte[] b, int offset) {
        return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8;
    }

    static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) value;
        b[offset + 1] = (byte) (value >>> 8);
        b[offset + 2] = (byte) (value >>> 16);
        b[offset + 3] = (byte) (value >>> 24);
    }

    static void putLong(byte[] b, int offset, long value) {
        putInt(b, offset, (int) value);
        putInt(b, offset + 4, (int) (value >>> 32));
    }

    static void putShort(byte[] b, int offset, int value) {
        b[offset] = (byte) value;
        b[offset + 1] = (byte) (value >>> 8);
    }
}
