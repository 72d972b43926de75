package org.ndis4j.testcontainers;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;

/**
 * The ndis4j virtual switch ({@code ndis4j switch}) in a container of the ndis4j image, with its
 * control endpoint: the wire address to plug hosts into, ports set down and up, their counters,
 * and the capture file.
 *
 * <p>Host networking, as every ndis4j container: the switch listens on loopback, on a port the
 * kernel picks (read from the container's log) unless {@link #withWirePort} fixes one. Start it,
 * then connect anything that speaks the wire (QEMU stream framing) to {@link #wireAddress()}:
 *
 * <pre>{@code
 * try (SwitchContainer sw = new SwitchContainer(DockerImageName.parse("ndis4j:0.1.0-SNAPSHOT")).withCapture()) {
 *     sw.start();
 *     InetSocketAddress wire = sw.wireAddress();       // 127.0.0.1:PORT: connect your hosts here
 *     // ... your hosts ping each other through it ...
 *     SwitchPort first = sw.port(1);                   // counters of the first host's port
 *     assertThat(first.totalDrops()).isZero();
 *     sw.setPortDown(1);                               // pulls the first host's cable
 *     sw.copyCapture(Path.of("target/switch.pcap"));   // every frame the switch received
 * }
 * }</pre>
 *
 * <p>Every method but the {@code with...} ones needs a started container.
 */
public class SwitchContainer extends GenericContainer<SwitchContainer> {

    /** Where {@link #withCapture()} makes the switch write its pcap, inside the container. */
    public static final String CAPTURE_FILE = "/var/lib/ndis4j/switch.pcap";

    private int wirePort;
    private int controlPort;
    private boolean capture;
    private volatile InetSocketAddress wire;
    private volatile ControlEndpoint control;

    public SwitchContainer(DockerImageName image) {
        super(image);
        setUp();
    }

    /** On an image being built, e.g. Testcontainers' {@code ImageFromDockerfile} of ndis4j's Dockerfile. */
    public SwitchContainer(Future<String> image) {
        super(image);
        setUp();
    }

    private void setUp() {
        withNetworkMode("host");
        // The control endpoint's line comes after the wire's: both listen once it is printed.
        waitingFor(Wait.forLogMessage(LogLines.CONTROL_ENDPOINT_LINE, 1));
    }

    /** Listens for the wire on {@code 127.0.0.1:port} (0, the default, lets the kernel pick). */
    public SwitchContainer withWirePort(int port) {
        this.wirePort = port;
        return self();
    }

    /** Serves the control endpoint on {@code 127.0.0.1:port} (0, the default, lets the kernel pick). */
    public SwitchContainer withControlPort(int port) {
        this.controlPort = port;
        return self();
    }

    /** Makes the switch capture every frame it receives to {@link #CAPTURE_FILE}; see {@link #copyCapture}. */
    public SwitchContainer withCapture() {
        this.capture = true;
        return self();
    }

    @Override
    protected void configure() {
        List<String> command = new ArrayList<>(
                List.of("switch", "--listen", "127.0.0.1:" + wirePort, "--control", "127.0.0.1:" + controlPort));
        if (capture) {
            command.addAll(List.of("--capture", CAPTURE_FILE, "--force"));
        }
        setCommand(command.toArray(String[]::new));
    }

    @Override
    public void start() {
        wire = null;
        control = null;
        super.start();
    }

    /** Where hosts connect: {@code 127.0.0.1} and the port the switch listens on. */
    public InetSocketAddress wireAddress() {
        InetSocketAddress a = wire;
        if (a == null) {
            Matcher m = LogLines.find(getLogs(), LogLines.SWITCH_LISTENING, "listening");
            a = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
            wire = a;
        }
        return a;
    }

    /** The switch's control endpoint, for anything the methods here do not cover ({@code GET /} lists it). */
    public ControlEndpoint controlEndpoint() {
        ControlEndpoint c = control;
        if (c == null) {
            Matcher m = LogLines.find(getLogs(), LogLines.CONTROL_ENDPOINT, "control endpoint");
            c = new ControlEndpoint(URI.create(m.group(1)));
            control = c;
        }
        return c;
    }

    /** {@code GET /health}: {@code status} ({@code ok} or {@code degraded}), {@code problems}, {@code connectedPorts}... */
    public JsonNode health() {
        return controlEndpoint().get("/health");
    }

    /** {@code GET /ports}: every port, the totals of ports that left, the shared buffer, refusals. */
    public JsonNode ports() {
        return controlEndpoint().get("/ports");
    }

    /**
     * Port {@code n} (numbered from 1 in the order hosts connected, a reconnecting host keeping its
     * number).
     *
     * @throws ControlEndpointException 404 when the port has no connection and is not down
     */
    public SwitchPort port(int n) {
        return SwitchPort.of(controlEndpoint().get("/ports/" + n));
    }

    /** Administratively down: pulls the cable of port {@code n} and keeps whatever reconnects out. */
    public SwitchPort setPortDown(int n) {
        return SwitchPort.of(controlEndpoint().post("/ports/" + n + "/down"));
    }

    /** Administratively up: port {@code n} takes a connection again. */
    public SwitchPort setPortUp(int n) {
        return SwitchPort.of(controlEndpoint().post("/ports/" + n + "/up"));
    }

    /**
     * Copies the capture (pcap, written at least every 200 ms while the switch runs) to {@code
     * destination} on this machine.
     *
     * @throws IllegalStateException without {@link #withCapture()}
     */
    public void copyCapture(Path destination) {
        if (!capture) {
            throw new IllegalStateException("this switch captures nothing: start it withCapture()");
        }
        copyFileFromContainer(CAPTURE_FILE, destination.toString());
    }
}
