package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.examples.ipstack.Ipv4Address;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.wire.TcpWirePort;

/**
 * {@code ndis4j ping} as a process (the tools jar) against a second host — a kernel with a virtual
 * NIC, vmini, vlanfilter and ipstack in this JVM — over loopback TCP, with the process connecting
 * and with it listening; and against a silent address (exit status 1).
 */
@ExtendWith(KernelExtension.class)
@KernelOptions(timeout = "90s")
class PingCommandIT {

    static final Duration RUN = Duration.ofSeconds(60);
    static final Pattern REPLY =
            Pattern.compile("^64 bytes from 10\\.0\\.0\\.2: icmp_seq=(\\d) ttl=64 time=\\d+(\\.\\d+)? ms$");
    static final Pattern RTT =
            Pattern.compile("^rtt min/avg/max/mdev = \\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3} ms$");

    static IpHost secondHost(Kernel kernel, TcpWirePort wire) {
        return IpHost.builder("second", wire)
                .kernel(kernel)
                .mac(MacAddress.of("02:4e:44:00:00:02"))
                .address(InterfaceConfig.parse("10.0.0.2/24"))
                .start();
    }

    static void assertPingOutput(List<String> lines, int count) {
        assertThat(lines.get(0)).isEqualTo("PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.");
        assertThat(lines.stream().filter(l -> REPLY.matcher(l).matches())).hasSize(count);
        assertThat(lines).contains("--- 10.0.0.2 ping statistics ---");
        assertThat(lines.stream()
                        .filter(l -> l.startsWith(
                                count + " packets transmitted, " + count + " received, 0% packet loss, time ")))
                .hasSize(1);
        assertThat(lines.get(lines.size() - 1)).matches(RTT);
    }

    @Test
    void pingsASecondHostThatListens(Kernel kernel) throws Exception {
        TcpWirePort listening = TcpWirePort.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (IpHost host = secondHost(kernel, listening);
                JarRun ping = JarRun.start(
                        "ping",
                        "--wire",
                        "connect:127.0.0.1:" + listening.localAddress().getPort(),
                        "--ip",
                        "10.0.0.1/24",
                        "--count",
                        "3",
                        "--interval",
                        "200",
                        "10.0.0.2")) {
            assertThat(ping.awaitExit(RUN)).as(ping.err()).isZero();
            assertPingOutput(ping.outLines(), 3);
            assertThat(host.ip().statistics().get(IpCounter.ICMP_ECHO_REPLIES_SENT))
                    .isEqualTo(3);
        }
    }

    @Test
    void listensForTheSecondHostToConnect(Kernel kernel) throws Exception {
        try (JarRun ping = JarRun.start(
                "ping",
                "--wire",
                "listen:127.0.0.1:0",
                "--ip",
                "10.0.0.1/24",
                "--mac",
                "02:4e:44:00:00:01",
                "--count",
                "2",
                "--size",
                "1000",
                "10.0.0.2")) {
            int port = Integer.parseInt(
                    ping.awaitErr(Pattern.compile("ndis4j ping: listening on 127\\.0\\.0\\.1:(\\d+)"), RUN));
            try (IpHost host = secondHost(
                    kernel, TcpWirePort.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))) {
                assertThat(ping.awaitExit(RUN)).as(ping.err()).isZero();
                List<String> lines = ping.outLines();
                assertThat(lines.get(0)).isEqualTo("PING 10.0.0.2 (10.0.0.2) 1000(1028) bytes of data.");
                assertThat(lines.stream().filter(l -> l.startsWith("1008 bytes from 10.0.0.2: icmp_seq=")))
                        .hasSize(2);
                assertThat(lines).anyMatch(l -> l.startsWith("2 packets transmitted, 2 received, 0% packet loss"));
                Await.until(
                        "the host's view of the pinger",
                        () -> host.ip().arpEntries().stream()
                                .anyMatch(e ->
                                        e.address() == Ipv4Address.parse("10.0.0.1") && e.mac() == 0x024e44000001L));
            }
        }
    }

    @Test
    void exitsOneWhenNoReplyCame(Kernel kernel) throws Exception {
        TcpWirePort listening = TcpWirePort.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (IpHost host = secondHost(kernel, listening);
                JarRun ping = JarRun.start(
                        "ping",
                        "--wire",
                        "connect:127.0.0.1:" + listening.localAddress().getPort(),
                        "--ip",
                        "10.0.0.1/24",
                        "--count",
                        "2",
                        "--interval",
                        "100",
                        "--timeout",
                        "300",
                        "10.0.0.77")) {
            assertThat(ping.awaitExit(RUN)).as(ping.err()).isEqualTo(1);
            List<String> lines = ping.outLines();
            assertThat(lines).contains("--- 10.0.0.77 ping statistics ---");
            assertThat(lines).anyMatch(l -> l.startsWith("2 packets transmitted, 0 received, 100% packet loss, time "));
            assertThat(lines).noneMatch(l -> l.startsWith("rtt "));
            assertThat(host.ip().statistics().get(IpCounter.ARP_NOT_FOR_US))
                    .as("the host heard the pinger ask for .77")
                    .isPositive();
        }
    }
}
