package org.ndis4j.testcontainers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import tools.jackson.databind.JsonNode;

/**
 * Your miniport in a container of the ndis4j image: {@code ndis4j run} with your driver jar copied
 * in, a protocol (ipstack, with an address) bound to the adapter, its wire connected to a switch (or
 * listening), and its control endpoint: adapter states, statistics, ping from the running ipstack,
 * and the crash report if your driver bug-checked.
 *
 * <p>Host networking, as every ndis4j container: every address is loopback. {@link #start()} returns
 * once every adapter is Running (the control endpoint's health says {@code ok}):
 *
 * <pre>{@code
 * try (SwitchContainer sw = new SwitchContainer(IMAGE);
 *         DriverHostContainer host = new DriverHostContainer(IMAGE)
 *                 .withDriverJar(Path.of("target/my-miniport-1.0.jar"))
 *                 .withDriver("com.example.MyMiniport")     // has NdisStatus driverEntry(DriverObject, String)
 *                 .withProtocol("ipstack")
 *                 .withIp("10.0.0.2/24")) {
 *     sw.start();
 *     host.withWireConnect(sw.wireAddress()).start();    // returns when the adapter is Running
 *     assertThat(host.adapterStates()).containsValue("Running");
 *     assertThat(host.ping("10.0.0.1").allReplied()).isTrue();  // another host on the switch
 *     JsonNode statistics = host.statistics();            // frames, drops, interrupts, DPCs, work items
 * }
 * }</pre>
 *
 * <p>When your driver bug-checks, {@code ndis4j run} writes the crash report into {@link #CRASH_DIR}
 * and exits with status 3: {@link #awaitExit(Duration)} gives the status, {@link #crashReport()} the
 * report (read it with {@code ndis4j crash FILE}). Call them before {@link #stop()}, which removes
 * the container.
 */
public class DriverHostContainer extends GenericContainer<DriverHostContainer> {

    /** Where the driver jars are copied, inside the container. */
    public static final String DRIVERS_DIR = "/var/lib/ndis4j/drivers";

    /** Where {@code ndis4j run} writes a crash report, inside the container. */
    public static final String CRASH_DIR = "/var/lib/ndis4j/crash";

    /** {@code ndis4j run}'s exit status after a bug check (docs/cli.md, exit codes). */
    public static final int BUG_CHECK_EXIT_STATUS = 3;

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final List<String> jars = new ArrayList<>();
    private final List<String> filters = new ArrayList<>();
    private String driver;
    private String protocol;
    private String ip;
    private String wire;
    private int controlPort;
    private volatile ControlEndpoint control;

    public DriverHostContainer(DockerImageName image) {
        super(image);
        setUp();
    }

    /** On an image being built, e.g. Testcontainers' {@code ImageFromDockerfile} of ndis4j's Dockerfile. */
    public DriverHostContainer(Future<String> image) {
        super(image);
        setUp();
    }

    private void setUp() {
        withNetworkMode("host");
        waitingFor(new AdaptersRunning().withStartupTimeout(STARTUP_TIMEOUT));
    }

    /** Copies a jar with your drivers into the container and puts it on the drivers' class path. */
    public DriverHostContainer withDriverJar(Path jar) {
        String inContainer = DRIVERS_DIR + "/" + jars.size() + "-" + jar.getFileName();
        withCopyFileToContainer(MountableFile.forHostPath(jar, 0644), inContainer);
        jars.add(inContainer);
        return self();
    }

    /** The miniport driver class: it has {@code public static NdisStatus driverEntry(DriverObject, String)}. */
    public DriverHostContainer withDriver(String className) {
        this.driver = className;
        return self();
    }

    /** A filter driver class to attach above the miniport (repeatable, bottom first). */
    public DriverHostContainer withFilter(String className) {
        filters.add(className);
        return self();
    }

    /** The protocol bound to the adapter: {@code ipstack} (ndis4j's IPv4) or a class of yours. */
    public DriverHostContainer withProtocol(String ipstackOrClass) {
        this.protocol = ipstackOrClass;
        return self();
    }

    /** The adapter's IPv4 address and prefix for ipstack, e.g. {@code 10.0.0.2/24}. */
    public DriverHostContainer withIp(String addressAndPrefix) {
        this.ip = addressAndPrefix;
        return self();
    }

    /** Connects the adapter's wire to a switch (or a listening peer) at {@code address}, reconnecting. */
    public DriverHostContainer withWireConnect(InetSocketAddress address) {
        this.wire = "connect:" + address.getAddress().getHostAddress() + ":" + address.getPort();
        return self();
    }

    /** The wire as {@code ndis4j run --wire} takes it: {@code connect:HOST:PORT} or {@code listen:HOST:PORT}. */
    public DriverHostContainer withWire(String spec) {
        this.wire = spec;
        return self();
    }

    /** Serves the control endpoint on {@code 127.0.0.1:port} (0, the default, lets the kernel pick). */
    public DriverHostContainer withControlPort(int port) {
        this.controlPort = port;
        return self();
    }

    @Override
    protected void configure() {
        if (jars.isEmpty() || driver == null || wire == null) {
            throw new IllegalStateException(
                    "a driver host needs withDriverJar, withDriver and a wire (withWireConnect)");
        }
        List<String> command = new ArrayList<>(List.of("run"));
        for (String jar : jars) {
            command.addAll(List.of("--jar", jar));
        }
        command.addAll(List.of("--driver", driver));
        for (String filter : filters) {
            command.addAll(List.of("--filter", filter));
        }
        if (protocol != null) {
            command.addAll(List.of("--protocol", protocol));
        }
        if (ip != null) {
            command.addAll(List.of("--ip", ip));
        }
        command.addAll(List.of("--wire", wire, "--control", "127.0.0.1:" + controlPort, "--crash-dir", CRASH_DIR));
        setCommand(command.toArray(String[]::new));
    }

    @Override
    public void start() {
        control = null;
        super.start();
    }

    /** The control endpoint of {@code ndis4j run}, for anything the methods here do not cover. */
    public ControlEndpoint controlEndpoint() {
        ControlEndpoint c = control;
        if (c == null) {
            Matcher m = LogLines.find(getLogs(), LogLines.CONTROL_ENDPOINT, "control endpoint");
            c = new ControlEndpoint(URI.create(m.group(1)));
            control = c;
        }
        return c;
    }

    /** {@code GET /health}: {@code status} (ok, starting, degraded, crashed) and each adapter's state and link. */
    public JsonNode health() {
        return controlEndpoint().get("/health");
    }

    /** Each adapter's NDIS state ({@code Running}, {@code Paused}...), by adapter name. */
    public Map<String, String> adapterStates() {
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode adapter : health().path("adapters")) {
            states.put(adapter.path("name").asString(), adapter.path("state").asString());
        }
        return states;
    }

    /** {@code GET /statistics}: frames, drops, interrupts, DPCs, work items, OIDs. */
    public JsonNode statistics() {
        return controlEndpoint().get("/statistics");
    }

    /** Four echo requests from the running ipstack to {@code target} (an IPv4 address on the link). */
    public PingResult ping(String target) {
        return ping(target, 4);
    }

    /** {@code count} echo requests (1..100) from the running ipstack to {@code target}, one second each at most. */
    public PingResult ping(String target, int count) {
        return PingResult.of(controlEndpoint().post("/ping?target=" + target + "&count=" + count));
    }

    /**
     * Stops {@code ndis4j run} as {@code docker stop} does (SIGTERM, SIGKILL after {@code timeout}):
     * it halts every adapter, unloads the drivers and reports leaks. Returns its exit status: 0 for a
     * clean halt, 4 when something leaked, 3 after a bug check. The container stays, with its log and
     * crash directory, until {@link #stop()}.
     */
    public int halt(Duration timeout) {
        try {
            getDockerClient()
                    .stopContainerCmd(getContainerId())
                    .withTimeout((int) Math.max(1, timeout.toSeconds()))
                    .exec();
        } catch (NotModifiedException alreadyExited) {
            // nothing to stop: its exit status stands
        }
        return awaitExit(Duration.ofSeconds(10));
    }

    /** Waits until the container exits (a bug check, a failure) and returns its exit status. */
    public int awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OptionalLong status = exitStatus();
            if (status.isPresent()) {
                return (int) status.getAsLong();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the driver host still runs after " + timeout.toSeconds() + " s; its log:\n" + getLogs());
            }
            LockSupport.parkNanos(50_000_000);
        }
    }

    /** The exit status once the container has exited; empty while it runs. */
    public OptionalLong exitStatus() {
        InspectContainerResponse.ContainerState state =
                getDockerClient().inspectContainerCmd(getContainerId()).exec().getState();
        if (Boolean.TRUE.equals(state.getRunning())) {
            return OptionalLong.empty();
        }
        Long code = state.getExitCodeLong();
        return code == null ? OptionalLong.empty() : OptionalLong.of(code);
    }

    /**
     * The crash report (JSON) {@code ndis4j run} wrote into {@link #CRASH_DIR}, running or exited;
     * empty when there is none.
     */
    public Optional<String> crashReport() {
        try (InputStream tar = getDockerClient()
                .copyArchiveFromContainerCmd(getContainerId(), CRASH_DIR)
                .exec()) {
            return TarFiles.read(tar).entrySet().stream()
                    .filter(e -> e.getKey().endsWith(".json"))
                    .map(e -> new String(e.getValue(), StandardCharsets.UTF_8))
                    .findFirst();
        } catch (NotFoundException noDirectory) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + CRASH_DIR + " out of the container", e);
        }
    }

    /** Ready when the control endpoint answers health {@code ok}: every adapter Running. */
    private final class AdaptersRunning extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            String last = "no control endpoint yet";
            while (System.nanoTime() < deadline) {
                if (!waitStrategyTarget.isRunning()) {
                    throw new ContainerLaunchException(
                            "ndis4j run exited before its adapters were Running; its log:\n" + getLogs());
                }
                if (LogLines.CONTROL_ENDPOINT.matcher(getLogs()).find()) {
                    try {
                        JsonNode health = health();
                        if ("ok".equals(health.path("status").asString())) {
                            return;
                        }
                        last = health.toString();
                    } catch (RuntimeException notYet) {
                        last = notYet.getMessage();
                    }
                }
                LockSupport.parkNanos(100_000_000);
            }
            throw new ContainerLaunchException("the driver host's adapters were not Running after "
                    + startupTimeout.toSeconds() + " s (last health: " + last + "); its log:\n" + getLogs());
        }
    }
}
