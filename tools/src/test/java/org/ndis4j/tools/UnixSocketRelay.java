package org.ndis4j.tools;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Relays one loopback TCP connection to a Unix-domain socket, byte for byte, both ways: a QEMU that
 * runs inside a network namespace listens on a Unix socket (a file, which crosses namespaces), and the
 * virtual NIC connects over TCP on this side's loopback. QEMU's stream framing passes through as is.
 */
final class UnixSocketRelay implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path socket;
    private final List<Thread> pumps = new ArrayList<>();
    private final List<SocketChannel> channels = new ArrayList<>();
    private final Thread acceptor;

    UnixSocketRelay(Path socket) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = new Thread(this::accept, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    private void accept() {
        try {
            SocketChannel tcp = server.accept();
            SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
            unix.connect(UnixDomainSocketAddress.of(socket));
            synchronized (channels) {
                channels.add(tcp);
                channels.add(unix);
            }
            pump(tcp, unix, "relay-tcp-to-unix");
            pump(unix, tcp, "relay-unix-to-tcp");
        } catch (IOException e) {
            // closed, or QEMU went away: the NIC sees its carrier drop
        }
    }

    private void pump(SocketChannel from, SocketChannel to, String name) {
        Thread t = new Thread(
                () -> {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
                    try {
                        while (from.read(buffer) >= 0) {
                            buffer.flip();
                            while (buffer.hasRemaining()) {
                                to.write(buffer);
                            }
                            buffer.clear();
                        }
                        to.shutdownOutput();
                    } catch (IOException e) {
                        // one side closed
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        pumps.add(t);
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (channels) {
            for (SocketChannel c : channels) {
                c.close();
            }
        }
    }
}
