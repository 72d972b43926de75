package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/** Builds Ethernet frames and their wire form for tests. */
final class TestFrames {

    static final long BROADCAST = 0xffff_ffff_ffffL;

    private TestFrames() {}

    /** A frame {@code dst ← src}, EtherType 0x88b5 (local experimental), payload bytes = seq. */
    static byte[] ethernet(long dst, long src, int length, int seq) {
        ByteBuffer b = ByteBuffer.allocate(length);
        putMac(b, dst);
        putMac(b, src);
        b.putShort((short) 0x88b5);
        while (b.hasRemaining()) {
            b.put((byte) (seq + b.position()));
        }
        return b.array();
    }

    static long mac(int last) {
        return 0x0200_0000_0000L | last;
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    /** The 4-byte big-endian length, then the frame. */
    static byte[] wire(byte[] frame) {
        return ByteBuffer.allocate(4 + frame.length)
                .putInt(frame.length)
                .put(frame)
                .array();
    }

    static byte[] lengthPrefix(long length) {
        return ByteBuffer.allocate(4).putInt((int) length).array();
    }

    static ByteBuf buf(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    /** Copies and releases. */
    static byte[] bytesOf(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
