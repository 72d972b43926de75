package org.ndis4j.tools.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Something that relays the wire framing between a sender and a receiver connection, each run as a
 * process of its own: the subject (the ndis4j switch) or a reference ({@code relaylimit}, the
 * ceiling of a user-space relay here; a QEMU hub, what a QEMU user would get otherwise).
 */
abstract class Relay implements AutoCloseable {

    /** Waits until the relay can deliver to the receiver's MAC (a switch must have learned it). */
    @FunctionalInterface
    interface Ready {
        void await(long mac) throws InterruptedException;
    }

    /** How long a relay process may take to listen: a JVM start on a loaded 2-core machine took over 10 s. */
    private static final Duration START = Duration.ofSeconds(60);

    abstract String name();

    abstract InetSocketAddress txAddress();

    abstract InetSocketAddress rxAddress();

    abstract Ready ready();

    @Override
    public abstract void close();

    /**
     * Connects to {@code address}, retrying while a relay process starts. Every connection that
     * succeeds is the one used: relaylimit pairs the first two it accepts, so it must not be probed.
     */
    static SocketChannel connect(InetSocketAddress address) throws IOException {
        long deadline = System.nanoTime() + START.toNanos();
        for (; ; ) {
            SocketChannel ch = SocketChannel.open();
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(address);
                return ch;
            } catch (IOException notYet) {
                ch.close();
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("cannot connect to " + address + ": " + notYet.getMessage(), notYet);
                }
                LockSupport.parkNanos(20_000_000); // the process is still starting
            }
        }
    }

    /** A free loopback port (closed again: a process is about to listen on it). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * The ndis4j switch as users run it: {@code ndis4j switch} in a JVM of its own (so the generator's
     * threads and garbage are not the switch's), default options or with flow control. It has
     * learned the receiver's address once its control endpoint shows the receiver's first frame.
     */
    static final class Switch extends External {
        private static final HttpClient HTTP = HttpClient.newHttpClient();
        private static final JsonMapper JSON = JsonMapper.builder().build();
        private final String name;
        private final InetSocketAddress address;
        private final URI ports;

        private Switch(List<String> launcher, String name, int port, int control, boolean flowControl)
                throws IOException {
            super(command(launcher, port, control, flowControl));
            this.name = name;
            this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            this.ports = URI.create("http://127.0.0.1:" + control + "/ports");
        }

        /** {@code launcher}: the command that runs {@code ndis4j} ({@link BenchSettings#ndis4j()}). */
        static Switch start(List<String> launcher, boolean flowControl) throws IOException {
            return new Switch(
                    launcher,
                    flowControl ? "ndis4j switch --flow-control" : "ndis4j switch",
                    freePort(),
                    freePort(),
                    flowControl);
        }

        private static List<String> command(List<String> launcher, int port, int control, boolean flowControl) {
            List<String> command = new ArrayList<>(launcher);
            command.addAll(List.of(
                    "switch",
                    "--listen",
                    "127.0.0.1:" + port,
                    "--control",
                    "127.0.0.1:" + control,
                    "--stats-interval",
                    "0"));
            if (flowControl) {
                command.add("--flow-control");
            }
            return command;
        }

        @Override
        String name() {
            return name;
        }

        @Override
        InetSocketAddress txAddress() {
            return address;
        }

        @Override
        InetSocketAddress rxAddress() {
            return address;
        }

        @Override
        Ready ready() {
            return mac -> {
                long deadline = System.nanoTime() + START.toNanos();
                while (!receiverHeard()) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("the switch did not see the receiver's first frame");
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            };
        }

        /** True once a connected port has received a frame: the receiver's, which taught the switch its address. */
        private boolean receiverHeard() throws InterruptedException {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(ports).build(), BodyHandlers.ofString());
                for (JsonNode p : JSON.readTree(r.body()).get("ports")) {
                    if (p.get("connected").asBoolean()
                            && p.get("rx").get("frames").asLong() > 0) {
                        return true;
                    }
                }
                return false;
            } catch (IOException notYet) {
                return false;
            }
        }
    }

    /** A reference relay run as a process; it gets a moment to listen, then connections retry. */
    abstract static class External extends Relay {
        private final Process process;

        External(List<String> command) throws IOException {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        }

        /** CPU time the process has used so far (all its threads, user and system). */
        Duration cpuTime() {
            return process.info().totalCpuDuration().orElse(Duration.ZERO);
        }

        @Override
        Ready ready() {
            // No learning: a relay or a hub delivers to whatever is connected. Let the hello pass.
            return mac -> TimeUnit.MILLISECONDS.sleep(200);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code relaylimit PORT}: pairs the first two connections and copies bytes both ways. */
    static final class RelayLimit extends External {
        private final InetSocketAddress address;

        private RelayLimit(Path binary, int port) throws IOException {
            super(List.of(binary.toString(), String.valueOf(port)));
            address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        static RelayLimit start(Path binary) throws IOException {
            return new RelayLimit(binary, freePort());
        }

        @Override
        String name() {
            return "relaylimit";
        }

        @Override
        InetSocketAddress txAddress() {
            return address;
        }

        @Override
        InetSocketAddress rxAddress() {
            return address;
        }
    }

    /** A QEMU process whose two listening socket netdevs are joined on a hub. */
    static final class QemuHub extends External {
        private final InetSocketAddress a;
        private final InetSocketAddress b;

        private QemuHub(Path qemu, int portA, int portB) throws IOException {
            super(List.of(
                    qemu.toString(),
                    "-machine",
                    "none",
                    "-nographic",
                    "-nodefaults",
                    "-netdev",
                    "socket,id=a,listen=127.0.0.1:" + portA,
                    "-netdev",
                    "socket,id=b,listen=127.0.0.1:" + portB,
                    "-netdev",
                    "hubport,id=ha,hubid=0,netdev=a",
                    "-netdev",
                    "hubport,id=hb,hubid=0,netdev=b"));
            a = new InetSocketAddress(InetAddress.getLoopbackAddress(), portA);
            b = new InetSocketAddress(InetAddress.getLoopbackAddress(), portB);
        }

        static QemuHub start(Path qemu) throws IOException {
            return new QemuHub(qemu, freePort(), freePort());
        }

        @Override
        String name() {
            return "QEMU hub";
        }

        @Override
        InetSocketAddress txAddress() {
            return a;
        }

        @Override
        InetSocketAddress rxAddress() {
            return b;
        }
    }
}
