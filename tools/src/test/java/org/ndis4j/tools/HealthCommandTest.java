package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ndis4j.tools.control.ControlResource;
import org.ndis4j.tools.control.ControlServer;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.Transports;
import org.ndis4j.wire.VirtualSwitch;

/**
 * {@code ndis4j health} against real control endpoints on loopback: a running switch's, one still
 * starting, a degraded one, and a port nobody listens on.
 */
class HealthCommandTest {

    private VirtualSwitch sw;
    private ControlServer control;

    @AfterEach
    void close() {
        if (control != null) {
            control.close();
        }
        if (sw != null) {
            sw.close();
        }
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private String endpoint() {
        return Transports.format(control.address());
    }

    @Test
    void aRunningSwitchIsHealthy() {
        sw = VirtualSwitch.start(loopback(0), SwitchOptions.DEFAULTS);
        SwitchResources resources = new SwitchResources();
        control = ControlServer.start(loopback(0), List.of(resources));
        resources.serve(sw);

        CommandRun run = CommandRun.of("health", "--control", endpoint());

        assertThat(run.status()).isZero();
        assertThat(run.out().lines().toList())
                .containsExactly("ok (http://" + endpoint() + "/health): listen " + Transports.format(sw.localAddress())
                        + ", connectedPorts 0, mirrorSessions 0");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aBarePortMeansLoopback() {
        sw = VirtualSwitch.start(loopback(0), SwitchOptions.DEFAULTS);
        SwitchResources resources = new SwitchResources();
        control = ControlServer.start(loopback(0), List.of(resources));
        resources.serve(sw);

        CommandRun run = CommandRun.of(
                "health", "--control", Integer.toString(control.address().getPort()));

        assertThat(run.status()).isZero();
        assertThat(run.out())
                .startsWith("ok (http://127.0.0.1:" + control.address().getPort() + "/health)");
    }

    @Test
    void aSwitchStillStartingIsNot() {
        control = ControlServer.start(loopback(0), List.of(new SwitchResources())); // never served

        CommandRun run = CommandRun.of("health", "--control", endpoint());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out().lines().toList())
                .containsExactly(
                        "unhealthy: http://" + endpoint() + "/health answered HTTP 503: the switch is starting");
    }

    @Test
    void aDegradedEndpointIsNotAndSaysWhy() {
        ControlResource degraded = routes -> routes.get(
                "/health",
                "a command with a problem",
                r -> Map.of("status", "degraded", "problems", List.of("capture stopped: No space left on device")));
        control = ControlServer.start(loopback(0), List.of(degraded));

        CommandRun run = CommandRun.of("health", "--control", endpoint());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out().lines().toList())
                .containsExactly(
                        "degraded (http://" + endpoint() + "/health): capture stopped: No space left on device");
    }

    @Test
    void anEndpointWithoutHealthIsNot() {
        control = ControlServer.start(loopback(0), List.of());

        CommandRun run = CommandRun.of("health", "--control", endpoint());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out().lines().toList())
                .containsExactly(
                        "unhealthy: http://" + endpoint() + "/health answered HTTP 404: no such resource: /health");
    }

    @Test
    void nobodyListeningIsOneLineAndStatusOne() throws Exception {
        int port;
        try (ServerSocket closedAgain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closedAgain.getLocalPort();
        }

        CommandRun run = CommandRun.of("health", "--control", "127.0.0.1:" + port);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .containsExactly("ndis4j health: cannot ask http://127.0.0.1:" + port + "/health: Connection refused");
    }

    @Test
    void noEndpointAtAllIsAUsageError() {
        assertThat(System.getenv(HealthCommand.CONTROL_VARIABLE))
                .as("this test's environment")
                .isNull();

        CommandRun run = CommandRun.of("health");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.errLines().get(0))
                .isEqualTo("ndis4j health: no control endpoint: give --control [HOST:]PORT or set NDIS4J_CONTROL"
                        + " (see ndis4j health --help)");
    }
}
