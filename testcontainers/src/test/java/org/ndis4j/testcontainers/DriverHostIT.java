package org.ndis4j.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testcontainers.InJvmHosts.A_IP;
import static org.ndis4j.testcontainers.InJvmHosts.A_MAC;
import static org.ndis4j.testcontainers.InJvmHosts.host;
import static org.ndis4j.testcontainers.InJvmHosts.ping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.EchoReply;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.VirtualSwitch;
import tools.jackson.databind.JsonNode;

/**
 * The examples' jar as a user's driver jar: {@code ndis4j run} in a container loads vmini from it
 * (in a class loader of its own), binds ipstack, and plugs into a switch in this JVM, where a host of
 * this JVM pings it and it pings back through its control endpoint; its statistics count the traffic.
 */
@RequiresDocker
@ExtendWith(KernelExtension.class)
@KernelOptions(dpcTimeoutMillis = InJvmHosts.DPC_WATCHDOG_MILLIS, timeout = InJvmHosts.TEST_TIMEOUT)
class DriverHostIT {

    static final String VMINI = "org.ndis4j.examples.vmini.VminiDriver";
    static final int CONTAINER_IP = Addresses.ipv4("10.0.0.2");

    @Test
    void theExamplesMiniportJarRunsInAContainerOnASwitchInThisJvm(Kernel kernel) throws Exception {
        try (VirtualSwitch sw = VirtualSwitch.start(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SwitchOptions.DEFAULTS);
                DriverHostContainer container = new DriverHostContainer(Ndis4jImage.get())
                        .withDriverJar(Ndis4jImage.built("ndis4j.examples.jar"))
                        .withDriver(VMINI)
                        .withProtocol("ipstack")
                        .withIp("10.0.0.2/24")
                        .withWireConnect(sw.localAddress())) {
            container.start(); // returns once the adapter is Running
            assertThat(container.adapterStates()).containsValue("Running");
            assertThat(container.health().path("status").asString()).isEqualTo("ok");

            try (IpHost a = host(kernel, "host-a", A_MAC, A_IP, sw.localAddress())) {
                for (int seq = 1; seq <= 3; seq++) {
                    EchoReply reply =
                            ping(a, CONTAINER_IP, seq, Duration.ofSeconds(10)).orElse(null);
                    assertThat(reply)
                            .as("reply %d from the container's ipstack", seq)
                            .isNotNull();
                    assertThat(reply.source()).isEqualTo(CONTAINER_IP);
                    assertThat(reply.intact()).isTrue();
                }
                PingResult back = container.ping("10.0.0.1", 3);
                assertThat(back.transmitted()).isEqualTo(3);
                assertThat(back.received()).isEqualTo(3);
                assertThat(back.rttMillis())
                        .hasSize(3)
                        .allSatisfy(rtt -> assertThat(rtt).isPositive());

                JsonNode statistics = container.statistics();
                JsonNode adapter = statistics.path("adapters").get(0);
                // 3 requests and 3 replies each way, ARP besides.
                assertThat(adapter.path("rxFrames").asLong()).isGreaterThanOrEqualTo(6);
                assertThat(adapter.path("txFrames").asLong()).isGreaterThanOrEqualTo(6);
                assertThat(adapter.path("rxDropped").asLong()).isZero();
                assertThat(statistics.path("kernel").path("interrupts").asLong())
                        .isPositive();
                assertThat(statistics.path("kernel").path("dpcs").asLong()).isPositive();
            }
            assertThat(container.halt(Duration.ofSeconds(30)))
                    .as("ndis4j run's exit status after SIGTERM; its log:\n" + container.getLogs())
                    .isZero();
            assertThat(container.getLogs()).contains("halted cleanly, nothing leaked");
        }
    }
}
