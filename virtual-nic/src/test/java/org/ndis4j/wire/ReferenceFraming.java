package org.ndis4j.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU stream framing parsed the obvious way, fed a chunk at a time: the executable
 * specification the fuzz targets hold {@link FrameSplitter} to. Frames before the first error are
 * delivered; after an error nothing more is.
 */
final class ReferenceFraming {

    private final int maxFrameLength;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private FrameError error;

    ReferenceFraming(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    /** The frames {@code chunk} completes (none once broken). */
    List<byte[]> feed(byte[] chunk) {
        List<byte[]> frames = new ArrayList<>();
        if (error != null) {
            return frames;
        }
        pending.writeBytes(chunk);
        ByteBuffer b = ByteBuffer.wrap(pending.toByteArray());
        while (b.remaining() >= 4) {
            long length = Integer.toUnsignedLong(b.getInt(b.position()));
            FrameError e = FrameError.classify(length, maxFrameLength);
            if (e != null) {
                error = e;
                pending.reset();
                return frames;
            }
            if (b.remaining() < 4 + length) {
                break;
            }
            b.position(b.position() + 4);
            byte[] f = new byte[(int) length];
            b.get(f);
            frames.add(f);
        }
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        pending.reset();
        pending.writeBytes(rest);
        return frames;
    }

    /** True while part of a frame (or of its length) is waiting for the rest. */
    boolean holdsPartial() {
        return error == null && pending.size() > 0;
    }

    /** The error that broke the stream, or null. */
    FrameError error() {
        return error;
    }

    /** The stream ends here: TRUNCATED if it stopped inside a frame, else the error so far. */
    FrameError finish() {
        if (error == null && pending.size() > 0) {
            error = FrameError.TRUNCATED;
        }
        return error;
    }

    /** A stall of the held partial frame. */
    void stall() {
        error = FrameError.STALLED;
        pending.reset();
    }
}
