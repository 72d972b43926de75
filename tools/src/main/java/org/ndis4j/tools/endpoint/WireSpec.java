package org.ndis4j.tools.endpoint;

import java.net.InetSocketAddress;
import org.ndis4j.wire.CannotListenException;
import org.ndis4j.wire.TapException;
import org.ndis4j.wire.TapWirePort;
import org.ndis4j.wire.TcpWirePort;
import org.ndis4j.wire.Transports;
import org.ndis4j.wire.WirePort;
import picocli.CommandLine;

/**
 * What a wire names, in every command that takes {@code --wire} and in a configuration file's
 * {@code "wire"}: one parser for both.
 *
 * <ul>
 *   <li>{@code connect:HOST:PORT}: a TCP client (QEMU stream framing) of a switch or of a listening
 *       QEMU netdev;</li>
 *   <li>{@code listen:HOST:PORT}: a TCP server a peer connects to;</li>
 *   <li>{@code tap:IFNAME}: a Linux TAP device, so the host's own network stack is the peer (created
 *       if absent; needs CAP_NET_ADMIN).</li>
 * </ul>
 *
 * <p>Commands open the wire with {@link #open()} and need not know which kind it is.
 *
 * @param kind    which of the three
 * @param address the TCP address (connect, listen), or null for a TAP
 * @param tap     the interface name (tap), or null
 */
public record WireSpec(Kind kind, InetSocketAddress address, String tap) {

    /** The three kinds of wire. */
    public enum Kind {
        CONNECT,
        LISTEN,
        TAP
    }

    /** The {@code paramLabel} of every {@code --wire} option. */
    public static final String LABEL = "connect:HOST:PORT|listen:HOST:PORT|tap:IFNAME";

    /**
     * Parses one of the three forms.
     *
     * @throws IllegalArgumentException saying what is wrong, in one line
     */
    public static WireSpec parse(String value) {
        int colon = value.indexOf(':');
        String kind = colon < 0 ? value : value.substring(0, colon);
        String rest = colon < 0 ? "" : value.substring(colon + 1);
        switch (kind) {
            case "tap" -> {
                try {
                    TapWirePort.checkName(rest);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("tap:IFNAME: " + e.getMessage());
                }
                return new WireSpec(Kind.TAP, null, rest);
            }
            case "connect", "listen" -> {
                if (colon < 0) {
                    break;
                }
                InetSocketAddress address = HostPort.parse(rest);
                if (kind.equals("connect") && address.getPort() == 0) {
                    throw new IllegalArgumentException("connect needs a port other than 0");
                }
                return new WireSpec(kind.equals("listen") ? Kind.LISTEN : Kind.CONNECT, address, null);
            }
            default -> {}
        }
        throw new IllegalArgumentException(
                "expected connect:HOST:PORT, listen:HOST:PORT or tap:IFNAME, got '" + value + "'");
    }

    /** True for {@code listen:}. */
    public boolean listen() {
        return kind == Kind.LISTEN;
    }

    /**
     * Opens the wire: connects (and keeps reconnecting), listens (bound when this returns), or opens
     * the TAP.
     *
     * @throws CannotListenException when a listener cannot bind (its message names the address and the
     *     operating system's reason)
     * @throws TapException when the TAP cannot be opened (one line: the device and why)
     */
    public WirePort open() {
        return switch (kind) {
            case CONNECT -> TcpWirePort.connect(address);
            case LISTEN -> {
                try {
                    yield TcpWirePort.listen(address);
                } catch (CannotListenException e) {
                    throw e;
                } catch (Exception e) { // Netty rethrows bind's IOException without declaring it
                    throw new CannotListenException("", address, e);
                }
            }
            case TAP -> TapWirePort.open(tap);
        };
    }

    /** What to tell the user once {@code port} (from {@link #open()}) is open, e.g. the bound address. */
    public String opened(WirePort port) {
        return switch (kind) {
            case CONNECT -> "connecting to " + Transports.format(address);
            case LISTEN -> "listening on " + Transports.format(((TcpWirePort) port).localAddress());
            case TAP -> "on TAP " + tap;
        };
    }

    /** Parses the option value; a bad one is picocli's usage error (exit status 2). */
    public static final class Converter implements CommandLine.ITypeConverter<WireSpec> {
        @Override
        public WireSpec convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONNECT -> "connect:" + address.getAddress().getHostAddress() + ":" + address.getPort();
            case LISTEN -> "listen:" + address.getAddress().getHostAddress() + ":" + address.getPort();
            case TAP -> "tap:" + tap;
        };
    }
}
