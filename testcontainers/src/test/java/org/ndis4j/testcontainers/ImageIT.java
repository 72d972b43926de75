package org.ndis4j.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.HealthCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.Frame;
import org.ndis4j.testing.FrameBuilder;
import org.ndis4j.wire.WirePeer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The image built from the repository's Dockerfile, used the way docs/docker.md says: {@code docker
 * run IMAGE --help}, {@code docker run --network host IMAGE switch --listen 127.0.0.1:PORT} with real
 * wire peers, and the HEALTHCHECK, which turns healthy once the switch serves its control endpoint.
 */
@RequiresDocker
class ImageIT {

    @Test
    void helpPrintsTheCommandLine() {
        try (GenericContainer<?> help = new GenericContainer<>(Ndis4jImage.get())
                .withCommand("--help")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
            help.start(); // a one-shot start fails unless the command exits 0

            assertThat(help.getLogs())
                    .startsWith("Usage: ndis4j ")
                    .contains("Tools of the ndis4j miniport driver development kit.")
                    .contains("  switch ")
                    .contains("  health ");
        }
    }

    @Test
    void theImageRunsAsItsOwnUserWithLabelsAndAHealthCheckOfTheControlEndpoint() {
        String image = Ndis4jImage.get().get();
        InspectImageResponse inspected =
                DockerClientFactory.instance().client().inspectImageCmd(image).exec();

        assertThat(inspected.getConfig().getUser()).isEqualTo("10001:10001");
        assertThat(inspected.getConfig().getEntrypoint()).containsExactly("ndis4j");
        assertThat(inspected.getConfig().getCmd()).containsExactly("switch", "--listen", "0.0.0.0:5555");
        assertThat(inspected.getConfig().getLabels())
                .containsEntry("org.opencontainers.image.title", "ndis4j")
                .containsEntry("org.opencontainers.image.revision", "test")
                .containsKey("org.opencontainers.image.version");
        HealthCheck health = inspected.getConfig().getHealthcheck();
        assertThat(String.join(" ", health.getTest())).contains("ndis4j health --control \"$NDIS4J_CONTROL\"");
    }

    @Test
    void theSwitchAcceptsTheWireOnLoopback() {
        try (GenericContainer<?> sw = new GenericContainer<>(Ndis4jImage.get())
                .withNetworkMode("host")
                .withCommand("switch", "--listen", "127.0.0.1:0")
                .waitingFor(Wait.forLogMessage(".*ndis4j switch listening on .*\\n", 1))) {
            sw.start();
            Matcher listening = LogLines.find(sw.getLogs(), LogLines.SWITCH_LISTENING, "listening");
            InetSocketAddress wire = new InetSocketAddress(listening.group(1), Integer.parseInt(listening.group(2)));
            assertThat(wire.getAddress().isLoopbackAddress()).isTrue();

            long a = Addresses.mac("02:00:00:00:0a:01");
            try (WirePeer first = WirePeer.connect(wire);
                    WirePeer second = WirePeer.connect(wire)) {
                Await.until("both peers connected", () -> first.isCarrierUp() && second.isCarrierUp());
                byte[] frame = FrameBuilder.ethernet(0xffff_ffff_ffffL, a).testPattern(128, 7);
                first.send(frame);

                Frame flooded = second.awaitFrame("the broadcast, flooded to the second port", f -> f.source() == a);
                assertThat(flooded.length()).isEqualTo(128);
                assertThat(flooded.etherType()).isEqualTo(Frame.ETHERTYPE_EXPERIMENTAL);
            }
        }
    }

    @Test
    void theHealthCheckTurnsHealthyOnTheControlEndpointOfNdis4jControl() throws Exception {
        int control;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            control = free.getLocalPort(); // the health check needs the port before the switch starts
        }
        try (GenericContainer<?> sw = new GenericContainer<>(Ndis4jImage.get())
                .withNetworkMode("host")
                .withEnv("NDIS4J_CONTROL", "127.0.0.1:" + control)
                .withCommand("switch", "--listen", "127.0.0.1:0")
                // The image's check (its command), asked every second instead of every 30 s.
                .withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new HealthCheck()
                        .withInterval(TimeUnit.SECONDS.toNanos(1))
                        .withStartPeriod(0L)))
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(90)))) {
            sw.start();

            InspectContainerResponse state = sw.getCurrentContainerInfo();
            assertThat(state.getState().getHealth().getStatus()).isEqualTo("healthy");
            List<HealthStateLog> checks = state.getState().getHealth().getLog();
            HealthStateLog last = checks.get(checks.size() - 1);
            assertThat(last.getExitCodeLong()).isZero();
            assertThat(last.getOutput()).startsWith("ok (http://127.0.0.1:" + control + "/health)");
            // The launcher passed NDIS4J_CONTROL on as --control: the switch serves what the check asks.
            assertThat(sw.getLogs()).contains("control endpoint http://127.0.0.1:" + control + "/");
        }
    }
}
