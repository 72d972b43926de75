package org.ndis4j.testcontainers;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.EchoReply;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.Await;
import org.ndis4j.wire.TcpWireOptions;
import org.ndis4j.wire.TcpWirePort;

/** Hosts in the test's JVM (virtual NIC, vmini, vlanfilter, ipstack) on a wire address, and pings between them. */
final class InJvmHosts {

    static final MacAddress A_MAC = MacAddress.of("02:4e:44:00:0a:01");
    static final MacAddress B_MAC = MacAddress.of("02:4e:44:00:0b:01");
    static final int A_IP = Addresses.ipv4("10.0.0.1");
    static final int B_IP = Addresses.ipv4("10.0.0.2");

    /** A lost switch is found again within 200 ms of its return. */
    static final TcpWireOptions FAST_RECONNECT =
            TcpWireOptions.DEFAULTS.withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));

    /**
     * The DPC watchdog's limit for the in-JVM kernels: the containers' JVMs (and Docker) share the
     * machine's cores with them, and a DPC descheduled for half a second is not a DPC that ran for
     * half a second (a full verify on the 2-core CI machine at load 20 tripped the 500 ms default).
     */
    static final long DPC_WATCHDOG_MILLIS = 5_000;

    /** A test may build the image and start several containers: more than the kit's 30 s default. */
    static final String TEST_TIMEOUT = "3m";

    private InJvmHosts() {}

    /** A host connected to {@code wire}, once its link is up at ipstack. */
    static IpHost host(Kernel kernel, String name, MacAddress mac, int ip, InetSocketAddress wire) {
        IpHost host = IpHost.builder(name, TcpWirePort.connect(wire, null, FAST_RECONNECT))
                .kernel(kernel)
                .mac(mac)
                .address(InterfaceConfig.of(ip, 24))
                .start();
        Await.until(name + "'s link up", host.ip()::isLinkUp);
        return host;
    }

    /** One echo request from {@code from} to {@code to}: the reply, or empty after {@code timeout}. */
    static Optional<EchoReply> ping(IpHost from, int to, int sequence, Duration timeout) throws Exception {
        return from.ping(to, 0x0a0a, sequence, 56, timeout).get();
    }
}
