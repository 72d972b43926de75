package org.ndis4j.tools.pcap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A capture's bytes in order, with the offset of the next one; integers in the current byte order. */
final class FileInput {

    private final InputStream in;
    private final byte[] scratch = new byte[8];
    private final ByteBuffer view = ByteBuffer.wrap(scratch);
    private long offset;

    FileInput(InputStream in) {
        this.in = in;
    }

    long offset() {
        return offset;
    }

    void order(ByteOrder order) {
        view.order(order);
    }

    ByteOrder order() {
        return view.order();
    }

    /** Reads up to {@code n} bytes into {@code b}; returns how many (fewer only at the end of the file). */
    int readUpTo(byte[] b, int at, int n) throws IOException {
        int got = in.readNBytes(b, at, n);
        offset += got;
        return got;
    }

    /** Reads exactly {@code n} bytes, or throws {@link EOFException} saying how many there were. */
    void readFully(byte[] b, int at, int n) throws IOException {
        int got = readUpTo(b, at, n);
        if (got < n) {
            throw new EOFException(got + " of " + n + " bytes");
        }
    }

    int readInt() throws IOException {
        readFully(scratch, 0, 4);
        return view.getInt(0);
    }

    int readUnsignedShort() throws IOException {
        readFully(scratch, 0, 2);
        return view.getShort(0) & 0xFFFF;
    }

    long readLong() throws IOException {
        readFully(scratch, 0, 8);
        return view.getLong(0);
    }

    /** Skips exactly {@code n} bytes without keeping them. */
    void skip(long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new EOFException("the file ends inside " + n + " bytes to skip");
        }
        offset += n;
    }

    /** True when nothing is left (reads one byte ahead, so only where a new record may start). */
    boolean atEnd() throws IOException {
        if (!in.markSupported()) {
            throw new IllegalStateException("FileInput needs a stream that supports mark");
        }
        in.mark(1);
        int b = in.read();
        in.reset();
        return b < 0;
    }
}
