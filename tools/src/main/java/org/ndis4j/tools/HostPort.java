package org.ndis4j.tools;

import java.net.InetSocketAddress;
import picocli.CommandLine;

/** Parses {@code HOST:PORT} (IPv6 as {@code [::1]:PORT}) into an unresolved-free socket address. */
final class HostPort implements CommandLine.ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new CommandLine.TypeConversionException("expected HOST:PORT, got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("port in '" + value + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.TypeConversionException("port " + port + " is outside 0..65535");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new CommandLine.TypeConversionException("cannot resolve host '" + host + "'");
        }
        return address;
    }
}
