package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.TcpWirePort;
import org.ndis4j.wire.VirtualSwitch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a running {@code ndis4j run} tells about itself: the NDJSON statistics of {@code --json}, the
 * text line with its OID counts, and the control endpoint's {@code POST /ping}, answered by the
 * running ipstack. The run is the tools jar as a process on a port of a switch in this JVM; its peer
 * is a second host (vmini + ipstack on a kernel of its own) on another port.
 *
 * <pre>
 *   ndis4j run (vmini + ipstack 10.0.0.1) ─TCP─ switch ─TCP─ IpHost (vmini + ipstack 10.0.0.2)
 *          └─ --control: GET /statistics, POST /ping?target=10.0.0.2
 * </pre>
 */
class RunStatisticsIT {

    static final Duration EXIT = Duration.ofSeconds(90);
    static final Pattern RUNNING = Pattern.compile("ndis4j run: (running) \\(Ctrl-C stops\\)");
    static final Pattern CONTROL = Pattern.compile("control endpoint (http://\\S+)");
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The documented fields (docs/cli.md, "Statistics"): the NDJSON lines have exactly these. */
    static final List<String> TOP = List.of("time", "adapters", "kernel");

    static final List<String> ADAPTER = List.of(
            "name",
            "state",
            "link",
            "rxFrames",
            "txFrames",
            "rxBytes",
            "txBytes",
            "rxLengthErrors",
            "rxNoBuffer",
            "rxDropped",
            "txErrors",
            "interruptsRaised",
            "oids",
            "ip",
            "ipDrops");
    static final List<String> OIDS = List.of("requests", "answeredByNdis", "completedByMiniport", "failed");
    static final List<String> KERNEL = List.of("interrupts", "dpcs", "workItems");

    @TempDir
    Path dir;

    VirtualSwitch sw;
    String switchWire;

    @BeforeEach
    void startTheSwitch() {
        sw = VirtualSwitch.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SwitchOptions.DEFAULTS);
        switchWire = "connect:127.0.0.1:" + sw.localAddress().getPort();
    }

    @AfterEach
    void stopTheSwitch() {
        sw.close();
    }

    private JarRun run(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "run",
                "--driver",
                "vmini",
                "--protocol",
                "ipstack",
                "--ip",
                "10.0.0.1/24",
                "--wire",
                switchWire,
                "--control",
                "127.0.0.1:0"));
        args.addAll(List.of(extra));
        return JarRun.start(dir, args.toArray(new String[0]));
    }

    private IpHost peer() {
        return IpHost.builder("peer", TcpWirePort.connect(sw.localAddress()))
                .mac(MacAddress.of("02:4e:44:00:00:02"))
                .address(InterfaceConfig.parse("10.0.0.2/24"))
                .filter(false)
                .start();
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.propertyNames().forEach(names::add);
        return names;
    }

    @Test
    void jsonStatisticsAreOneObjectPerLineWithTheDocumentedFieldsAndOidCounts() throws Exception {
        try (JarRun run = run("--json", "--stats-interval", "0.2")) {
            run.awaitErr(RUNNING, EXIT);
            Await.until("three statistics lines", EXIT, () -> run.outLines().size() >= 3);
            run.terminate();
            assertThat(run.awaitExit(EXIT)).as(run.err()).isZero();
            List<String> lines = run.outLines();
            assertThat(lines).hasSizeGreaterThanOrEqualTo(4); // three while running, one at exit
            Instant previous = Instant.EPOCH;
            for (String line : lines) {
                JsonNode s = JSON.readTree(line); // each line one whole JSON object
                assertThat(s.isObject()).as(line).isTrue();
                assertThat(names(s)).as(line).containsExactlyElementsOf(TOP);
                Instant time = Instant.parse(s.get("time").stringValue());
                assertThat(time).as(line).isAfterOrEqualTo(previous);
                previous = time;
                assertThat(s.get("adapters").size()).isEqualTo(1);
                JsonNode a = s.get("adapters").get(0);
                assertThat(names(a)).as(line).containsExactlyElementsOf(ADAPTER);
                assertThat(a.get("name").stringValue()).isEqualTo("vnic0");
                assertThat(a.get("state").stringValue()).isEqualTo("Running");
                assertThat(a.get("ip").stringValue()).isEqualTo("10.0.0.1/24");
                for (String counter : List.of("rxFrames", "txFrames", "rxBytes", "txBytes", "rxDropped", "ipDrops")) {
                    assertThat(a.get(counter).isIntegralNumber()).as(counter).isTrue();
                    assertThat(a.get(counter).asLong()).as(counter).isNotNegative();
                }
                JsonNode oids = a.get("oids");
                assertThat(names(oids)).as(line).containsExactlyElementsOf(OIDS);
                // ipstack's binding set the packet filter and asked for the MAC and MTU before the run started
                assertThat(oids.get("completedByMiniport").asLong()).as(line).isPositive();
                assertThat(oids.get("requests").asLong())
                        .as(line)
                        .isGreaterThanOrEqualTo(oids.get("answeredByNdis").asLong()
                                + oids.get("completedByMiniport").asLong());
                assertThat(oids.get("failed").asLong()).as(line).isNotNegative();
                assertThat(names(s.get("kernel"))).as(line).containsExactlyElementsOf(KERNEL);
            }
        }
    }

    @Test
    void controlPingIsAnsweredByTheRunningIpstackAndTheTextLineCountsOids() throws Exception {
        try (JarRun run = run("--stats-interval", "0");
                IpHost peer = peer()) {
            run.awaitErr(RUNNING, EXIT);
            Control control = new Control(run.awaitErr(CONTROL, EXIT));
            Await.until("the peer's link", EXIT, peer.ip()::isLinkUp);

            JsonNode ping = control.post("/ping?target=10.0.0.2&count=3&timeoutMillis=5000");
            assertThat(ping.get("target").stringValue()).isEqualTo("10.0.0.2");
            assertThat(ping.get("transmitted").asInt()).isEqualTo(3);
            assertThat(ping.get("received").asInt()).as(ping.toString()).isEqualTo(3);
            assertThat(ping.get("rttMillis").size()).isEqualTo(3);
            // the replies came from the peer's ipstack, over the switch
            assertThat(peer.ip().statistics().get(IpCounter.ICMP_ECHO_REPLIES_SENT))
                    .isEqualTo(3);

            JsonNode nobody = control.post("/ping?target=10.0.0.3&count=1&timeoutMillis=300");
            assertThat(nobody.get("received").asInt()).isZero();
            assertThat(control.send("POST", "/ping?target=10.0.0.300", 400).toString())
                    .contains("target");
            assertThat(control.send("POST", "/ping?target=10.0.0.2&adapter=nosuch", 409)
                            .toString())
                    .contains("no adapter runs ipstack as 'nosuch'");

            JsonNode oids = control.get("/statistics").get("adapters").get(0).get("oids");
            run.terminate();
            assertThat(run.awaitExit(EXIT)).as(run.err()).isZero();
            // the line at exit: the same OID counts as /statistics (nothing issues OIDs after binding)
            Matcher line = Pattern.compile(
                            "^vnic0 Running link up: rx (\\d+) tx (\\d+) frames, \\d+ dropped \\(\\d+ too long or short\\),"
                                    + " OIDs (\\d+) \\((\\d+) by NDIS, (\\d+) by the miniport, (\\d+) failed\\),"
                                    + " ipstack dropped \\d+; kernel: \\d+ interrupts, \\d+ DPCs, \\d+ work items$")
                    .matcher(run.out().strip());
            assertThat(line.matches()).as(run.out()).isTrue();
            assertThat(Long.parseLong(line.group(1))).isGreaterThanOrEqualTo(3); // the three echo replies
            assertThat(Long.parseLong(line.group(2)))
                    .isGreaterThanOrEqualTo(4); // three echo requests and an ARP request
            assertThat(Long.parseLong(line.group(3)))
                    .isEqualTo(oids.get("requests").asLong());
            assertThat(Long.parseLong(line.group(4)))
                    .isEqualTo(oids.get("answeredByNdis").asLong());
            assertThat(Long.parseLong(line.group(5)))
                    .isEqualTo(oids.get("completedByMiniport").asLong());
            assertThat(Long.parseLong(line.group(6)))
                    .isEqualTo(oids.get("failed").asLong());
        }
    }
}
