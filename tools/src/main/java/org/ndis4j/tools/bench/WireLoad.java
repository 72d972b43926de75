package org.ndis4j.tools.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator: the Java twin of {@code wireblast.c}. Two connections to a relay of the wire
 * framing (the switch, {@code relaylimit}, a QEMU hub): the receiver first sends one broadcast so a
 * learning switch knows its MAC, then the sender writes {@code count} frames of {@code size} bytes
 * to that MAC in writes of {@link #BATCH} frames while the receiver counts what arrives.
 *
 * <pre>
 * sender  ──[len|02:..:02 ← 02:..:01|0x88b5|...] x BATCH per write──►  relay  ──►  receiver (counts)
 * </pre>
 *
 * <p>The clock runs from the first write until the last frame arrives; a receiver that sees nothing
 * for {@link #IDLE} stops and the missing frames are the loss.
 */
final class WireLoad {

    static final int BATCH = 64;
    static final Duration IDLE = Duration.ofSeconds(10);
    static final long RX_MAC = 0x0200_0000_0002L;
    static final long TX_MAC = 0x0200_0000_0001L;
    private static final int ETHERTYPE = 0x88b5;
    private static final int READ_BUFFER = 1 << 20;

    /** What one run measured. */
    record Outcome(long sent, long received, int size, double seconds) {
        double framesPerSecond() {
            return received / seconds;
        }

        double gigabitsPerSecond() {
            return received * size * 8.0 / seconds / 1e9;
        }

        double loss() {
            return sent == 0 ? 0 : 1.0 - (double) received / sent;
        }
    }

    private WireLoad() {}

    /** Connects, lets the relay learn the receiver ({@code ready} waits for that), blasts, counts. */
    static Outcome run(
            InetSocketAddress txAddress,
            InetSocketAddress rxAddress,
            long count,
            int size,
            Relay.Ready ready,
            Progress progress)
            throws IOException, InterruptedException {
        try (SocketChannel tx = Relay.connect(txAddress);
                SocketChannel rx = Relay.connect(rxAddress)) {
            ByteBuffer hello = ByteBuffer.allocate(4 + 60);
            hello.putInt(60);
            putMac(hello, 0xffff_ffff_ffffL);
            putMac(hello, RX_MAC);
            hello.putShort((short) ETHERTYPE);
            hello.position(hello.limit()).flip();
            while (hello.hasRemaining()) {
                rx.write(hello);
            }
            ready.await(RX_MAC);

            Receiver receiver = new Receiver(rx, count, size);
            Thread rxThread = new Thread(receiver, "wireload-rx");
            rxThread.start();
            ByteBuffer block = block(size);
            long sent = 0;
            long start = System.nanoTime();
            long reported = 0;
            while (sent < count && !receiver.done) {
                int k = (int) Math.min(BATCH, count - sent);
                block.clear().limit(k * (4 + size));
                while (block.hasRemaining()) {
                    tx.write(block);
                }
                sent += k;
                if (sent - reported >= 16 * BATCH) {
                    progress.step(sent - reported);
                    reported = sent;
                }
            }
            progress.step(sent - reported);
            rxThread.join();
            double seconds = (receiver.lastArrival.get() - start) / 1e9;
            return new Outcome(sent, receiver.received, size, Math.max(seconds, 1e-9));
        }
    }

    /** {@link #BATCH} frames in wire form, back to back, in one direct buffer. */
    private static ByteBuffer block(int size) {
        ByteBuffer b = ByteBuffer.allocateDirect(BATCH * (4 + size));
        for (int i = 0; i < BATCH; i++) {
            int start = b.position();
            b.putInt(size);
            putMac(b, RX_MAC);
            putMac(b, TX_MAC);
            b.putShort((short) ETHERTYPE);
            b.position(start + 4 + size);
        }
        return b;
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    /** Reads and counts the blasted frames (size and source match); stops at the count or when idle. */
    private static final class Receiver implements Runnable {
        private final SocketChannel channel;
        private final long count;
        private final int size;
        volatile boolean done;
        volatile long received;
        final AtomicLong lastArrival = new AtomicLong(System.nanoTime());

        Receiver(SocketChannel channel, long count, int size) {
            this.channel = channel;
            this.count = count;
            this.size = size;
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(READ_BUFFER);
            long got = 0;
            try (Selector selector = Selector.open()) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
                while (got < count) {
                    int n = channel.read(buf);
                    if (n < 0) {
                        break;
                    }
                    if (n == 0) {
                        if (selector.select(IDLE.toMillis()) == 0) {
                            break; // idle: what has not arrived is lost
                        }
                        selector.selectedKeys().clear();
                        continue;
                    }
                    buf.flip();
                    long before = got;
                    while (buf.remaining() >= 4) {
                        int at = buf.position();
                        int length = buf.getInt(at);
                        if (length < 0 || buf.remaining() < 4 + length) {
                            break;
                        }
                        if (length == size && macAt(buf, at + 4 + 6) == TX_MAC) {
                            got++;
                        }
                        buf.position(at + 4 + length);
                    }
                    buf.compact();
                    if (got != before) {
                        received = got;
                        lastArrival.set(System.nanoTime());
                    }
                }
            } catch (IOException e) {
                // the relay closed on us: what arrived is what counts
            } finally {
                received = got;
                done = true;
            }
        }

        private static long macAt(ByteBuffer b, int index) {
            return ((b.getInt(index) & 0xffff_ffffL) << 16) | (b.getShort(index + 4) & 0xffff);
        }
    }
}
