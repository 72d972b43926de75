package org.ndis4j.tools.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds capture files byte by byte, in either byte order, for the reader's tests and fuzz seeds. */
public final class CaptureBytes {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ByteOrder order;

    public CaptureBytes(ByteOrder order) {
        this.order = order;
    }

    public CaptureBytes int32(long v) {
        bytes.writeBytes(ByteBuffer.allocate(4).order(order).putInt((int) v).array());
        return this;
    }

    public CaptureBytes int16(int v) {
        bytes.writeBytes(ByteBuffer.allocate(2).order(order).putShort((short) v).array());
        return this;
    }

    public CaptureBytes int64(long v) {
        bytes.writeBytes(ByteBuffer.allocate(8).order(order).putLong(v).array());
        return this;
    }

    public CaptureBytes raw(byte[] b) {
        bytes.writeBytes(b);
        return this;
    }

    int size() {
        return bytes.size();
    }

    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** A classic pcap global header. */
    public static CaptureBytes pcap(ByteOrder order, boolean nanos, int linkType) {
        return new CaptureBytes(order)
                .int32(nanos ? 0xa1b23c4d : 0xa1b2c3d4)
                .int16(2)
                .int16(4)
                .int32(0)
                .int32(0)
                .int32(65535)
                .int32(linkType);
    }

    public CaptureBytes record(long seconds, long fraction, byte[] frame) {
        return int32(seconds)
                .int32(fraction)
                .int32(frame.length)
                .int32(frame.length)
                .raw(frame);
    }

    /** A pcapng section header block with no options. */
    public CaptureBytes sectionHeader() {
        return int32(0x0A0D0D0A)
                .int32(28)
                .int32(0x1A2B3C4D)
                .int16(1)
                .int16(0)
                .int64(-1)
                .int32(28);
    }

    /** An interface description block, with an if_tsresol option when {@code tsresol} is not negative. */
    public CaptureBytes interfaceDescription(int linkType, int snapLength, int tsresol) {
        int length = tsresol < 0 ? 20 : 20 + 8 + 4;
        int32(1).int32(length).int16(linkType).int16(0).int32(snapLength);
        if (tsresol >= 0) {
            int16(9).int16(1).raw(new byte[] {(byte) tsresol, 0, 0, 0}).int16(0).int16(0);
        }
        return int32(length);
    }

    public CaptureBytes enhancedPacket(int iface, long timestamp, byte[] frame) {
        int padded = (frame.length + 3) & ~3;
        int length = 32 + padded;
        return int32(6).int32(length)
                .int32(iface)
                .int32(timestamp >>> 32)
                .int32(timestamp)
                .int32(frame.length)
                .int32(frame.length)
                .raw(frame)
                .raw(new byte[padded - frame.length])
                .int32(length);
    }

    public CaptureBytes simplePacket(byte[] frame) {
        int padded = (frame.length + 3) & ~3;
        int length = 16 + padded;
        return int32(3).int32(length)
                .int32(frame.length)
                .raw(frame)
                .raw(new byte[padded - frame.length])
                .int32(length);
    }

    /** A block of a type the reader does not know (a name resolution block, type 4). */
    public CaptureBytes otherBlock() {
        return int32(4).int32(20).int32(0xdeadbeefL).int32(0).int32(20);
    }

    /** An Ethernet frame of {@code length} bytes whose bytes count from {@code seed}. */
    public static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (seed + i);
        }
        return f;
    }
}
