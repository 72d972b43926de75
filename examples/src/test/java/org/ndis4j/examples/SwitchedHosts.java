package org.ndis4j.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.Await;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.TcpWireOptions;
import org.ndis4j.wire.TcpWirePort;
import org.ndis4j.wire.VirtualSwitch;

/**
 * Two hosts (NIC, vmini, vlanfilter, ipstack) on a virtual switch over loopback TCP: A on port 1,
 * B on port 2. Closing removes both devices (the verifier checks each halt) and stops the switch.
 */
final class SwitchedHosts implements AutoCloseable {

    static final MacAddress A_MAC = MacAddress.of("02:4e:44:00:0a:01");
    static final MacAddress B_MAC = MacAddress.of("02:4e:44:00:0b:01");
    static final int A_IP = Addresses.ipv4("10.0.0.1");
    static final int B_IP = Addresses.ipv4("10.0.0.2");
    static final int A_PORT = 1;
    static final int B_PORT = 2;

    static final TcpWireOptions FAST_RECONNECT =
            TcpWireOptions.DEFAULTS.withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));

    final VirtualSwitch vswitch;
    private final Duration arpLifetime;
    final IpHost a;
    final IpHost b;

    SwitchedHosts(Kernel kernelA, Kernel kernelB, SwitchOptions options) {
        this(kernelA, kernelB, options, InterfaceConfig.DEFAULT_ARP_LIFETIME);
    }

    /** The same, with ARP entries that live {@code arpLifetime} (a soak wants no ARP traffic midway). */
    SwitchedHosts(Kernel kernelA, Kernel kernelB, SwitchOptions options, Duration arpLifetime) {
        this.arpLifetime = arpLifetime;
        vswitch = VirtualSwitch.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options);
        IpHost first = null;
        try {
            first = host(kernelA, "host-a", A_MAC, A_IP);
            Await.until(
                    "A on port 1",
                    () -> vswitch.ports().size() == 1 && vswitch.ports().get(0).connected());
            a = first;
            b = host(kernelB, "host-b", B_MAC, B_IP);
        } catch (RuntimeException e) {
            if (first != null) {
                first.close();
            }
            vswitch.close();
            throw e;
        }
    }

    private IpHost host(Kernel kernel, String name, MacAddress mac, int ip) {
        IpHost host = IpHost.builder(name, TcpWirePort.connect(vswitch.localAddress(), null, FAST_RECONNECT))
                .kernel(kernel)
                .mac(mac)
                .address(InterfaceConfig.of(ip, 24)
                        .withArp(
                                InterfaceConfig.DEFAULT_ARP_RETRIES,
                                InterfaceConfig.DEFAULT_ARP_RETRY_INTERVAL,
                                arpLifetime))
                .start();
        Await.until(name + "'s link up", host.ip()::isLinkUp);
        return host;
    }

    @Override
    public void close() {
        try {
            try {
                b.close();
            } finally {
                a.close();
            }
        } finally {
            vswitch.close();
        }
    }
}
