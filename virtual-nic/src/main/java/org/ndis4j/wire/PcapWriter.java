package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Ethernet frames to a classic pcap file (nanosecond variant), readable by Wireshark,
 * tshark and tcpdump. All fields big-endian; readers detect the byte order from the magic.
 *
 * <pre>
 * global header (24 bytes)
 * +------------+-------+-------+----------+----------+----------+-------------+
 * | a1 b2 3c 4d| 00 02 | 00 04 | thiszone | sigfigs  | snaplen  | linktype 1  |
 * |   magic    | major | minor |    0     |    0     |  u32     | (Ethernet)  |
 * +------------+-------+-------+----------+----------+----------+-------------+
 * then per frame: record header (16 bytes) and the first incl_len bytes of the frame
 * +------------+-------------+------------+------------+----------------------+
 * |   ts_sec   |   ts_nsec   |  incl_len  |  orig_len  | frame bytes          |
 * +------------+-------------+------------+------------+----------------------+
 * </pre>
 *
 * <p>Off the hot path: {@code write} only copies into an in-memory block; a writer thread puts
 * blocks on disk when they are full, and at least every {@link #HAND_OFF_MILLIS} ms, so a reader
 * following the file sees frames promptly. Bounded: a fixed number of blocks; when the disk is behind
 * and none is free the frame is not captured and {@link #framesDropped()} counts it (forwarding never
 * waits on the disk). A write error stops the capture for good: it is logged once, every later frame
 * counts as dropped, and {@link #failure()} tells why; the caller goes on.
 *
 * <p>The file is opened safely: a new file by default (an existing one is refused), and when
 * replacing, never through a symbolic link. Thread-safe; meant for one writing thread (the
 * switch's event loop).
 */
public final class PcapWriter implements AutoCloseable {

    public static final int DEFAULT_SNAPLEN = 65535;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int GLOBAL_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;
    static final int LINKTYPE_ETHERNET = 1;
    private static final int BLOCK_SIZE = 256 * 1024;
    private static final int BLOCKS = 8;
    static final long HAND_OFF_MILLIS = 200;
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private static final Logger LOG = LoggerFactory.getLogger(PcapWriter.class);

    private final Path path;
    private final FileChannel file;
    private final int snaplen;
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BLOCKS);
    private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Wall clock at open, and the monotonic clock then: timestamps cost one nanoTime per frame. */
    private final long baseEpochNanos;

    private final long baseNanoTime;
    /** Guarded by this: the block being filled, or null when none was free. */
    private ByteBuffer block;

    private boolean closed;
    private volatile IOException failure;

    private PcapWriter(Path path, FileChannel file, int snaplen) {
        this.path = path;
        this.file = file;
        this.snaplen = snaplen;
        Instant now = Instant.now();
        this.baseEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.baseNanoTime = System.nanoTime();
        for (int i = 0; i < BLOCKS; i++) {
            free.add(ByteBuffer.allocate(BLOCK_SIZE));
        }
        block = free.poll();
        block.putInt(MAGIC_NANOS)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(snaplen)
                .putInt(LINKTYPE_ETHERNET);
        writer = new Thread(this::drain, "pcap-writer " + path.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /** Creates {@code file}, which must not exist, and writes the global header. */
    public static PcapWriter open(Path file, int snaplen) throws IOException {
        return open(file, snaplen, false);
    }

    /**
     * Opens {@code file} and writes the global header. Without {@code replace} the file must not
     * exist (not even as a dangling symbolic link); with it an existing file is truncated, but a
     * symbolic link is refused, never followed. Errors carry the operating system's reason
     * ({@link IoErrors#reason}).
     */
    public static PcapWriter open(Path file, int snaplen, boolean replace) throws IOException {
        if (snaplen < EthernetFrames.HEADER_LENGTH || snaplen > DEFAULT_SNAPLEN) {
            throw new IllegalArgumentException(
                    "snaplen " + snaplen + " is outside " + EthernetFrames.HEADER_LENGTH + ".." + DEFAULT_SNAPLEN);
        }
        FileChannel ch;
        try {
            ch = replace
                    ? FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            LinkOption.NOFOLLOW_LINKS)
                    : FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                throw new FileSystemException(file.toString(), null, "Is a symbolic link (never followed)");
            }
            throw e;
        }
        return new PcapWriter(file, ch, snaplen);
    }

    public Path path() {
        return path;
    }

    /** Captures {@code length} bytes of {@code buf} from {@code index}, stamped now. */
    public boolean write(ByteBuf buf, int index, int length) {
        return write(buf, index, length, baseEpochNanos + (System.nanoTime() - baseNanoTime));
    }

    /**
     * Captures one frame without touching {@code buf}'s indices or reference count. Returns false
     * when it was not captured (writer behind, or closed).
     */
    public synchronized boolean write(ByteBuf buf, int index, int length, long epochNanos) {
        int captured = Math.min(length, snaplen);
        int need = RECORD_HEADER_LENGTH + captured;
        if (closed || failure != null) {
            dropped.incrementAndGet();
            return false;
        }
        if (block != null && block.remaining() < need) {
            handOff();
        }
        if (block == null && (block = free.poll()) == null) {
            dropped.incrementAndGet();
            return false;
        }
        block.putInt((int) (epochNanos / 1_000_000_000L))
                .putInt((int) (epochNanos % 1_000_000_000L))
                .putInt(captured)
                .putInt(length);
        buf.getBytes(index, block.array(), block.arrayOffset() + block.position(), captured);
        block.position(block.position() + captured);
        written.incrementAndGet();
        return true;
    }

    public long framesWritten() {
        return written.get();
    }

    /** Frames not captured: the disk was behind, the capture had failed, or it was closed. */
    public long framesDropped() {
        return dropped.get();
    }

    /** Why the capture stopped (the operating system's reason), or null while it works. */
    public String failure() {
        IOException f = failure;
        return f == null ? null : IoErrors.reason(f);
    }

    /**
     * Writes everything captured so far, stops the writer thread and closes the file. A write
     * failure was already logged and is in {@link #failure()}; only an error closing the file is
     * thrown here.
     */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (block != null) {
                handOff();
            }
            full.add(END);
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while finishing " + path, e);
        } finally {
            file.close();
        }
    }

    /** Under the lock: queues the current block for the writer thread (the queue has room for all). */
    private void handOff() {
        block.flip();
        full.add(block);
        block = null;
    }

    /**
     * The writer thread: block after block to disk; each written block goes back to the pool. When
     * no block filled up for a while, it takes the one being filled, so the file never lags far.
     */
    private void drain() {
        try {
            for (ByteBuffer b; (b = full.poll(HAND_OFF_MILLIS, TimeUnit.MILLISECONDS)) != END; ) {
                if (b == null) {
                    handOffStale();
                    continue;
                }
                try {
                    while (b.hasRemaining() && failure == null) {
                        file.write(b);
                    }
                } catch (IOException e) {
                    failure = e;
                    LOG.error(
                            "capture to {} failed, no more frames are captured (switching goes on): {}",
                            path,
                            IoErrors.reason(e));
                }
                b.clear();
                free.add(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IOException("capture writer interrupted", e);
        }
    }

    /** Hands off the block being filled if it holds anything. */
    private synchronized void handOffStale() {
        if (block != null && block.position() > 0 && !closed) {
            handOff();
        }
    }

    /** For try-with-resources in callers that cannot throw IOException. */
    public void closeUnchecked() {
        try {
            close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
