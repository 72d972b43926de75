package org.ndis4j.tools;

import java.net.InetSocketAddress;
import org.ndis4j.wire.CannotListenException;
import org.ndis4j.wire.TapException;
import org.ndis4j.wire.TapWirePort;
import org.ndis4j.wire.TcpWirePort;
import org.ndis4j.wire.Transports;
import org.ndis4j.wire.WirePort;
import picocli.CommandLine;

/**
 * What {@code --wire} names, in every command that takes it:
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
 */
record WireSpec(Kind kind, InetSocketAddress address, String tap) {

    /** The three kinds of wire. */
    enum Kind {
        CONNECT,
        LISTEN,
        TAP
    }

    /** The {@code paramLabel} of every {@code --wire} option. */
    static final String LABEL = "connect:HOST:PORT|listen:HOST:PORT|tap:IFNAME";

    /** True for {@code listen:}. */
    boolean listen() {
        return kind == Kind.LISTEN;
    }

    /**
     * Opens the wire: connects (and keeps reconnecting), listens (bound when this returns), or opens
     * the TAP. A listener that cannot bind, or a TAP that cannot be opened, is a {@link
     * CommandFailedException} ({@link ExitCode#FAILURE}) naming the address or device and the
     * operating system's reason.
     */
    WirePort open() {
        switch (kind) {
            case CONNECT:
                return TcpWirePort.connect(address);
            case LISTEN:
                try {
                    return TcpWirePort.listen(address);
                } catch (Exception e) { // Netty rethrows bind's IOException unchecked
                    throw new CommandFailedException(
                            ExitCode.FAILURE, new CannotListenException("", address, e).getMessage(), e);
                }
            default:
                try {
                    return TapWirePort.open(tap);
                } catch (TapException e) {
                    throw new CommandFailedException(ExitCode.FAILURE, e.getMessage(), e);
                }
        }
    }

    /** What to tell the user once {@code port} (from {@link #open()}) is open, e.g. the bound address. */
    String opened(WirePort port) {
        return switch (kind) {
            case CONNECT -> "connecting to " + Transports.format(address);
            case LISTEN -> "listening on " + Transports.format(((TcpWirePort) port).localAddress());
            case TAP -> "on TAP " + tap;
        };
    }

    /** Parses the option value; a bad one is picocli's usage error (exit status 2). */
    static final class Converter implements CommandLine.ITypeConverter<WireSpec> {
        @Override
        public WireSpec convert(String value) {
            int colon = value.indexOf(':');
            String kind = colon < 0 ? value : value.substring(0, colon);
            String rest = colon < 0 ? "" : value.substring(colon + 1);
            switch (kind) {
                case "tap" -> {
                    try {
                        TapWirePort.checkName(rest);
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.TypeConversionException("tap:IFNAME: " + e.getMessage());
                    }
                    return new WireSpec(Kind.TAP, null, rest);
                }
                case "connect", "listen" -> {
                    if (colon < 0) {
                        break;
                    }
                    InetSocketAddress address = new HostPort().convert(rest);
                    if (kind.equals("connect") && address.getPort() == 0) {
                        throw new CommandLine.TypeConversionException("connect needs a port other than 0");
                    }
                    return new WireSpec(kind.equals("listen") ? Kind.LISTEN : Kind.CONNECT, address, null);
                }
                default -> {}
            }
            throw new CommandLine.TypeConversionException(
                    "expected connect:HOST:PORT, listen:HOST:PORT or tap:IFNAME, got '" + value + "'");
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
