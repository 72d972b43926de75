package org.ndis4j.tools.config;

import java.net.InetSocketAddress;

/**
 * A configuration file's {@code "wire"}: {@code connect:HOST:PORT} (a client of a switch or a
 * listening peer) or {@code listen:HOST:PORT} (a server a peer connects to), the forms of the
 * {@code --wire} option.
 */
public record WireEndpoint(boolean listen, InetSocketAddress address) {

    /** Parses the text; IllegalArgumentException says what is wrong. */
    public static WireEndpoint parse(String text) {
        int colon = text.indexOf(':');
        String kind = colon < 0 ? text : text.substring(0, colon);
        if (colon < 0 || !(kind.equals("connect") || kind.equals("listen"))) {
            throw new IllegalArgumentException("expected connect:HOST:PORT or listen:HOST:PORT, got '" + text + "'");
        }
        String hostPort = text.substring(colon + 1);
        int last = hostPort.lastIndexOf(':');
        if (last <= 0 || last == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT after " + kind + ":, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, last);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(last + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port in '" + text + "' is not a number");
        }
        if (port < 0 || port > 65535 || (kind.equals("connect") && port == 0)) {
            throw new IllegalArgumentException("port " + port + " is out of range (1..65535)");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve host '" + host + "'");
        }
        return new WireEndpoint(kind.equals("listen"), address);
    }

    @Override
    public String toString() {
        return (listen ? "listen:" : "connect:") + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
