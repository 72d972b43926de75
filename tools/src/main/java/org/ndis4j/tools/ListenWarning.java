package org.ndis4j.tools;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Optional;
import org.ndis4j.wire.Transports;

/**
 * The warning a command prints before it listens beyond loopback: who can reach the socket, and
 * what they can do with it. Loopback addresses get none.
 */
final class ListenWarning {

    private ListenWarning() {}

    /**
     * @param what        the listener, e.g. "the switch"
     * @param consequence what a peer can do, e.g. "can plug into the switch and see flooded frames"
     */
    static Optional<String> of(InetSocketAddress address, String what, String consequence) {
        InetAddress ip = address.getAddress();
        if (ip == null || ip.isLoopbackAddress()) {
            return Optional.empty();
        }
        String where = Transports.format(address);
        if (ip.isAnyLocalAddress()) {
            String family = ip instanceof Inet4Address ? "IPv4" : "IPv6";
            return Optional.of("warning: " + what + " listens on " + where + ", every " + family
                    + " address of this host: any host that can reach this machine " + consequence);
        }
        String via;
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(ip);
            via = nic == null ? "" : " (interface " + nic.getName() + ")";
        } catch (SocketException e) {
            via = "";
        }
        return Optional.of("warning: " + what + " listens on " + where + via
                + ", not loopback: any host that can reach that address " + consequence);
    }
}
