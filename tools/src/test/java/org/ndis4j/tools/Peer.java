package org.ndis4j.tools;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A switch port peer on a plain blocking socket, independent of the code under test: it writes and
 * reads the framing by hand. It may read in a thread of its own ({@link #startReading}), or never.
 */
final class Peer implements AutoCloseable {

    static final long BROADCAST = 0xffff_ffff_ffffL;

    final long mac;
    private final Socket socket;
    private final OutputStream out;
    private final AtomicLong received = new AtomicLong();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private Thread reader;

    Peer(InetSocketAddress address, long mac) throws IOException {
        this.mac = mac;
        socket = new Socket();
        socket.connect(address, 10_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
    }

    static long mac(int last) {
        return 0x0200_0000_0000L | last;
    }

    /** A frame {@code dst ← src} of {@code length} bytes, EtherType 0x88b5; a sequence number in bytes 14..17. */
    static byte[] frame(long dst, long src, int length, int seq) {
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putShort((short) (dst >>> 32)).putInt((int) dst);
        b.putShort((short) (src >>> 32)).putInt((int) src);
        b.putShort((short) 0x88b5);
        b.putInt(seq);
        while (b.hasRemaining()) {
            b.put((byte) b.position());
        }
        return b.array();
    }

    static byte[] wire(byte[] frame) {
        return ByteBuffer.allocate(4 + frame.length)
                .putInt(frame.length)
                .put(frame)
                .array();
    }

    void send(byte[] frame) throws IOException {
        out.write(wire(frame));
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads frames until the switch closes the connection, handing each to {@code sink}. */
    Peer startReading(Consumer<byte[]> sink) {
        reader = new Thread(
                () -> {
                    try {
                        DataInputStream in = new DataInputStream(socket.getInputStream());
                        for (; ; ) {
                            byte[] f = new byte[in.readInt()];
                            in.readFully(f);
                            received.incrementAndGet();
                            sink.accept(f);
                        }
                    } catch (EOFException | SocketException closed) {
                        // the switch (or we) closed the connection
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                    }
                },
                "peer-" + Long.toHexString(mac));
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** Frames read so far. */
    long received() {
        return received.get();
    }

    /** Waits (boundedly) for the reader to see the end of the stream. */
    boolean awaitEnd(long millis) throws InterruptedException {
        reader.join(millis);
        return !reader.isAlive();
    }

    List<Throwable> failures() {
        return failures;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
