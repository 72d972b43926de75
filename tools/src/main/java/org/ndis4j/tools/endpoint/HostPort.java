package org.ndis4j.tools.endpoint;

import java.net.InetSocketAddress;
import picocli.CommandLine;

/**
 * Parses {@code HOST:PORT} into a resolved socket address: {@code 127.0.0.1:5555},
 * {@code localhost:5555}, {@code 0.0.0.0:5555} (every IPv4 address), IPv6 in brackets:
 * {@code [::1]:5555}, {@code [::]:5555} (every IPv6 address). The switch prints addresses in the
 * same form ({@code Transports.format}), so what it prints can be pasted back. The picocli converter
 * of every HOST:PORT option, and the parser {@link WireSpec} uses for files and flags alike.
 */
public class HostPort implements CommandLine.ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /**
     * Parses {@code value}.
     *
     * @throws IllegalArgumentException saying what is wrong, in one line
     */
    public static InetSocketAddress parse(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(
                    "an IPv6 address goes in brackets, as in [::1]:5555; got '" + value + "'");
        }
        int port = port(value.substring(colon + 1), value);
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve host '" + host + "'");
        }
        return address;
    }

    static int port(String text, String value) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port in '" + value + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        return port;
    }

    /** {@code PORT} alone means loopback ({@code 127.0.0.1:PORT}); otherwise {@code HOST:PORT}. */
    public static final class LoopbackByDefault extends HostPort {
        @Override
        public InetSocketAddress convert(String value) {
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                try {
                    return new InetSocketAddress("127.0.0.1", port(value, value));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException(e.getMessage());
                }
            }
            return super.convert(value);
        }
    }
}
