package org.ndis4j.tools;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import org.ndis4j.tools.endpoint.WireSpec;
import org.ndis4j.wire.CannotListenException;
import org.ndis4j.wire.IoErrors;
import org.ndis4j.wire.TcpWirePort;

/**
 * The sending end of a TCP wire for {@code ndis4j inject}: one connection in QEMU stream framing
 * (a 4-byte big-endian length, then the frame), written with blocking writes. A virtual NIC's
 * {@link TcpWirePort} drops what a slow peer cannot take, as hardware would; a
 * replay must lose nothing, so here a slow peer slows the sender instead. Whatever the peer sends
 * back (floods, replies) is read and discarded on a thread of its own, so the peer never stalls on
 * us; its end of stream means the peer is gone.
 */
final class BlockingWire implements ReplayWire {

    private final Socket socket;
    private final DataOutputStream out;
    private final Thread drain;
    private volatile boolean peerGone;

    private BlockingWire(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
        InputStream in = socket.getInputStream();
        this.drain = new Thread(
                () -> {
                    try {
                        in.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        // reset or closed: either way the peer is gone
                    }
                    peerGone = true;
                },
                "ndis4j-inject-drain");
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * Connects to, or listens for one peer on, {@code wire}'s address, waiting up to {@code timeout}
     * (zero: for ever, when listening). Failures are {@link CommandFailedException}s naming the
     * address and the operating system's reason.
     *
     * @param listening told the bound address before the wait for a peer starts
     */
    static BlockingWire open(WireSpec wire, Duration timeout, Consumer<InetSocketAddress> listening) {
        if (!wire.listen()) {
            Socket socket = new Socket();
            try {
                socket.connect(wire.address(), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                return new BlockingWire(socket);
            } catch (IOException e) {
                closeQuietly(socket);
                throw new CommandFailedException(
                        ExitCode.FAILURE, "cannot connect to " + address(wire) + ": " + IoErrors.reason(e), e);
            }
        }
        try (ServerSocket server = new ServerSocket()) {
            try {
                server.bind(wire.address(), 1);
            } catch (IOException e) {
                throw new CommandFailedException(
                        ExitCode.FAILURE, new CannotListenException("", wire.address(), e).getMessage(), e);
            }
            listening.accept((InetSocketAddress) server.getLocalSocketAddress());
            server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            Socket peer = server.accept(); // one peer, as a listening QEMU netdev takes
            return new BlockingWire(peer);
        } catch (SocketTimeoutException e) {
            throw new CommandFailedException(
                    ExitCode.FAILURE,
                    "no peer connected to " + address(wire) + " within " + timeout.toMillis() + " ms",
                    e);
        } catch (IOException e) {
            throw new CommandFailedException(
                    ExitCode.FAILURE, "cannot accept on " + address(wire) + ": " + IoErrors.reason(e), e);
        }
    }

    private static String address(WireSpec wire) {
        return wire.toString().substring(wire.toString().indexOf(':') + 1);
    }

    /** Queues one frame; it is on the wire after {@link #flush}. Blocks while the peer is slow. */
    @Override
    public void send(byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** True once the peer closed its end (or reset the connection). */
    @Override
    public boolean isPeerGone() {
        return peerGone;
    }

    /**
     * Sends what is buffered, then half-closes and waits up to {@code linger} for the peer to close
     * too: closing with unread bytes pending would reset the connection and could lose the last frames.
     */
    @Override
    public void finish(Duration linger) throws IOException, InterruptedException {
        out.flush();
        socket.shutdownOutput();
        drain.join(Math.max(1, linger.toMillis()));
    }

    @Override
    public long refused() {
        return 0; // TCP delivers what it accepted, or the connection breaks
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to tell
        }
    }
}
