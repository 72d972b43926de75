package org.ndis4j.tools;

import java.net.InetSocketAddress;
import picocli.CommandLine;

/**
 * {@code connect:HOST:PORT} or {@code listen:HOST:PORT}: which end of a TCP wire (in QEMU stream
 * framing) a virtual NIC takes — a client of a switch or of a listening QEMU netdev, or a server a
 * peer connects to.
 */
record WireSpec(boolean listen, InetSocketAddress address) {

    /** Parses the option value; a bad one is picocli's usage error (exit status 2). */
    static final class Converter implements CommandLine.ITypeConverter<WireSpec> {
        @Override
        public WireSpec convert(String value) {
            int colon = value.indexOf(':');
            String kind = colon < 0 ? value : value.substring(0, colon);
            if (colon < 0 || !(kind.equals("connect") || kind.equals("listen"))) {
                throw new CommandLine.TypeConversionException(
                        "expected connect:HOST:PORT or listen:HOST:PORT, got '" + value + "'");
            }
            InetSocketAddress address = new HostPort().convert(value.substring(colon + 1));
            if (kind.equals("connect") && address.getPort() == 0) {
                throw new CommandLine.TypeConversionException("connect needs a port other than 0");
            }
            return new WireSpec(kind.equals("listen"), address);
        }
    }

    @Override
    public String toString() {
        return (listen ? "listen:" : "connect:") + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
