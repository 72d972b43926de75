package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.testing.Await;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.VirtualSwitch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ndis4j run} as a user runs it: the tools jar as a process, its driver from a jar given with
 * --jar (the examples jar's vmini, or a user's miniport built into a jar here), on a port of a switch
 * in this JVM, with {@code ndis4j ping} as a second process on another port.
 */
class RunCommandIT {

    static final Duration EXIT = Duration.ofSeconds(90);
    static final Pattern RUNNING = Pattern.compile("ndis4j run: (running) \\(Ctrl-C stops\\)");
    static final Pattern CONTROL = Pattern.compile("control endpoint (http://\\S+)");
    static final HttpClient HTTP = HttpClient.newHttpClient();

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

    static Path examplesJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "examples", "target"))) {
            return files.filter(f -> f.getFileName().toString().matches("ndis4j-examples-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the examples jar is missing: the ITs run after package"))
                    .toAbsolutePath();
        }
    }

    static JsonNode get(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(r.body());
    }

    Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    String hostConfig(String ip, int jumboPacket) {
        return """
                {
                  "adapters": [{
                    "wire": "%s",
                    "ip": "%s",
                    "keywords": {"*JumboPacket": %d}
                  }],
                  "drivers": {"miniport": "vmini", "protocols": ["ipstack"]}
                }
                """.formatted(switchWire, ip, jumboPacket);
    }

    @Test
    void aUsersDriverJarRunsOnASwitchPortAndAnotherProcessPingsIt() throws Exception {
        Path examples = examplesJar();
        try (JarRun run = JarRun.start(
                dir,
                "run",
                "--jar",
                examples.toString(),
                "--driver",
                "org.ndis4j.examples.vmini.VminiDriver",
                "--protocol",
                "ipstack",
                "--ip",
                "10.0.0.1/24",
                "--wire",
                switchWire,
                "--control",
                "127.0.0.1:0",
                "--stats-interval",
                "1")) {
            run.awaitErr(RUNNING, EXIT);
            assertThat(run.err())
                    .contains("org.ndis4j.examples.vmini.VminiDriver from file:")
                    .contains(examples.getFileName().toString());
            String control = run.awaitErr(CONTROL, EXIT);
            try (JarRun ping = JarRun.start(
                    dir,
                    "ping",
                    "--wire",
                    switchWire,
                    "--ip",
                    "10.0.0.2/24",
                    "--count",
                    "3",
                    "--interval",
                    "200",
                    "10.0.0.1")) {
                assertThat(ping.awaitExit(EXIT)).as(ping.err()).isZero();
                assertThat(ping.outLines())
                        .contains("3 packets transmitted, 3 received, 0% packet loss, time "
                                + ping.outLines().stream()
                                        .filter(l -> l.startsWith("3 packets transmitted"))
                                        .findFirst()
                                        .orElse("")
                                        .replaceAll(".*time ", ""));
            }
            JsonNode health = get(control + "/health");
            assertThat(health.get("status").stringValue()).isEqualTo("ok");
            assertThat(health.get("adapters").get(0).get("state").stringValue()).isEqualTo("Running");
            JsonNode stats = get(control + "/statistics");
            assertThat(stats.get("adapters").get(0).get("rxFrames").asLong()).isGreaterThanOrEqualTo(3);
            Await.value(null, "a statistics line", EXIT, () -> run.out().contains("kernel: ") ? true : null);
            run.terminate(); // SIGTERM: a clean halt
            assertThat(run.awaitExit(EXIT)).as(run.err()).isZero();
            assertThat(run.err()).contains("halted cleanly, nothing leaked");
        }
    }

    @Test
    void jumboFramesPassWith9014OnBothHostsAndAreDroppedAndCountedWith1514() throws Exception {
        Path jumboPing = file("ping.json", hostConfig("10.0.0.2/24", 9014));
        try (JarRun run = JarRun.start(
                dir,
                "run",
                "--config",
                file("run.json", hostConfig("10.0.0.1/24", 9014)).toString())) {
            run.awaitErr(RUNNING, EXIT);
            try (JarRun ping = JarRun.start(
                    dir,
                    "ping",
                    "--config",
                    jumboPing.toString(),
                    "--size",
                    "8972",
                    "--count",
                    "2",
                    "--interval",
                    "200",
                    "10.0.0.1")) {
                assertThat(ping.awaitExit(EXIT)).as(ping.err()).isZero();
                assertThat(ping.outLines()).anyMatch(l -> l.startsWith("8980 bytes from 10.0.0.1: icmp_seq=1"));
            }
            run.terminate();
            assertThat(run.awaitExit(EXIT)).as(run.err()).isZero();
        }
        try (JarRun run = JarRun.start(
                dir,
                "run",
                "--config",
                file("small.json", hostConfig("10.0.0.1/24", 1514)).toString(),
                "--control",
                "127.0.0.1:0")) {
            run.awaitErr(RUNNING, EXIT);
            String control = run.awaitErr(CONTROL, EXIT);
            try (JarRun ping = JarRun.start(
                    dir,
                    "ping",
                    "--config",
                    jumboPing.toString(),
                    "--size",
                    "8972",
                    "--count",
                    "2",
                    "--interval",
                    "200",
                    "--timeout",
                    "500",
                    "10.0.0.1")) {
                assertThat(ping.awaitExit(EXIT)).as(ping.err()).isEqualTo(1); // no reply
                assertThat(ping.outLines())
                        .contains("2 packets transmitted, 0 received, 100% packet loss, time "
                                + ping.outLines().stream()
                                        .filter(l -> l.startsWith("2 packets transmitted"))
                                        .findFirst()
                                        .orElse("")
                                        .replaceAll(".*time ", ""));
            }
            // The 9014-byte frames reached the 1514 host's NIC, which dropped them as too long and counted them.
            JsonNode adapter = get(control + "/statistics").get("adapters").get(0);
            assertThat(adapter.get("rxLengthErrors").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(adapter.get("rxDropped").asLong()).isGreaterThanOrEqualTo(2);
            run.terminate();
            assertThat(run.awaitExit(EXIT)).as(run.err()).isZero();
        }
    }

    @Test
    void aBadConfigurationExits2NamingTheKeyAndItsLine() throws Exception {
        Path misspelled = file("misspelled.json", """
                {
                  "adapters": [{
                    "wire": "connect:127.0.0.1:1",
                    "keywords": {
                      "*JumboPaket": 9014
                    }
                  }]
                }
                """);
        Path wrongType = file("wrong.json", "{\n  \"kernel\": {\"processors\": \"two\"}\n}\n");
        for (List<String> command : List.of(
                List.of("run", "--config", misspelled.toString()),
                List.of("ping", "--config", misspelled.toString(), "10.0.0.1"))) {
            try (JarRun run = JarRun.start(dir, command.toArray(new String[0]))) {
                assertThat(run.awaitExit(EXIT)).isEqualTo(2);
                assertThat(run.err())
                        .contains(misspelled + ":5:7: adapters[0].keywords.*JumboPaket: *JumboPaket is not a"
                                + " standardized keyword (did you mean *JumboPacket?)");
                assertThat(run.err().lines().count()).isEqualTo(1);
            }
        }
        try (JarRun run = JarRun.start(dir, "run", "--config", wrongType.toString())) {
            assertThat(run.awaitExit(EXIT)).isEqualTo(2);
            assertThat(run.err()).startsWith("ndis4j run: " + wrongType + ":2:").contains("kernel.processors");
        }
    }

    /** A user's jar: the drivers of com.example.leaky, each with a seeded bug. */
    Path leakyJar() throws IOException {
        Path jar = dir.resolve("leaky.jar");
        Path classes = Path.of("target", "test-classes", "com", "example", "leaky");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out);
                Stream<Path> files = Files.list(classes)) {
            for (Path c : files.toList()) {
                j.putNextEntry(new JarEntry("com/example/leaky/" + c.getFileName()));
                j.write(Files.readAllBytes(c));
                j.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void aLeakAtHaltExits4WithOneLineNamingTheObjectAndWhereItWasAllocated() throws Exception {
        Path crashes = dir.resolve("crashes");
        Path full = file("full.json", "{\"kernel\": {\"verifier\": \"full\"}}"); // allocation stacks
        Path report;
        try (JarRun run = JarRun.start(
                dir,
                "run",
                "--config",
                full.toString(),
                "--jar",
                leakyJar().toString(),
                "--driver",
                "com.example.leaky.PoolLeakMiniport",
                "--wire",
                "listen:127.0.0.1:0",
                "--stats-interval",
                "0",
                "--crash-dir",
                crashes.toString())) {
            run.awaitErr(RUNNING, EXIT);
            run.terminate(); // SIGTERM: the halt finds the pool MiniportHaltEx did not free
            assertThat(run.awaitExit(EXIT)).as(run.err()).isEqualTo(4);
            try (Stream<Path> files = Files.list(crashes)) {
                report = files.toList().get(0);
            }
            List<String> leaks = run.err()
                    .lines()
                    .filter(l -> l.startsWith("ndis4j run: leak at halt"))
                    .toList();
            assertThat(leaks).as(run.err()).hasSize(1);
            assertThat(leaks.get(0))
                    .matches(
                            "ndis4j run: leak at halt \\(rule NblPool_Leak, driver poolleakminiport\\): [A-Z_]+\\[\\S*nblpool\\[LEAK\\]\\]"
                                    + " allocated at com\\.example\\.leaky\\.PoolLeakMiniport\\.initializeEx\\(PoolLeakMiniport\\.java:\\d+\\)"
                                    + "; report " + Pattern.quote(report.toString())
                                    + " \\(ndis4j crash explains it\\)");
            assertThat(run.err()).doesNotContain("*** STOP").doesNotContain("halted cleanly");
        }
        // NDIS found the leak after MiniportHaltEx returned; the analysis still names the miniport.
        try (JarRun crash = JarRun.start(dir, "crash", report.toString())) {
            assertThat(crash.awaitExit(EXIT)).as(crash.err()).isZero();
            assertThat(crash.out())
                    .contains("NblPool_Leak")
                    .contains("DRIVER:       poolleakminiport")
                    .contains("com.example.leaky.PoolLeakMiniport.initializeEx(");
        }
    }

    @Test
    void aCrashLeavesAReportThatNdis4jCrashExplains() throws Exception {
        Path jar = leakyJar();
        Path crashes = dir.resolve("crashes");
        Path report;
        Path full = file("full.json", "{\"kernel\": {\"verifier\": \"full\"}}"); // allocation stacks
        try (JarRun run = JarRun.start(
                dir,
                "run",
                "--config",
                full.toString(),
                "--jar",
                jar.toString(),
                "--driver",
                "com.example.leaky.ConfigLeakMiniport",
                "--wire",
                "listen:127.0.0.1:0",
                "--crash-dir",
                crashes.toString())) {
            assertThat(run.awaitExit(EXIT)).as(run.err()).isEqualTo(3);
            assertThat(run.err())
                    .contains("*** STOP: 0x000000C4 (0x0000000000092500")
                    .contains("NdisOpenConfigurationEx");
            try (Stream<Path> files = Files.list(crashes)) {
                List<Path> reports = files.toList();
                assertThat(reports).hasSize(1);
                report = reports.get(0);
            }
            assertThat(run.err()).contains("crash report written to " + report);
        }
        try (JarRun crash = JarRun.start(dir, "crash", report.toString())) {
            assertThat(crash.awaitExit(EXIT)).as(crash.err()).isZero();
            String analysis = crash.out();
            assertThat(analysis)
                    .contains("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)")
                    .contains("Arg1: 0x0000000000092500, the rule's id")
                    .contains("NdisOpenConfigurationEx (Static Driver Verifier's rule)")
                    .contains("WHAT:         configleakminiport/vnic0: 1 configuration handle(s)")
                    .contains("IRQL:         PASSIVE_LEVEL (0)");
            // NDIS checked after the driver returned: the stack is NDIS's, and where the handle was opened
            // is the driver's line.
            List<String> allocated = analysis.lines()
                    .dropWhile(l -> !l.startsWith("ALLOCATED"))
                    .skip(1)
                    .toList();
            assertThat(allocated.get(0)).startsWith("  CONFIGURATION[configleakminiport/vnic0/configuration]");
            assertThat(allocated.get(1)).contains("com.example.leaky.ConfigLeakMiniport.initializeEx(");
        }
        try (JarRun crash = JarRun.start(
                dir, "crash", file("not-a-report.json", "{\"x\": 1}").toString())) {
            assertThat(crash.awaitExit(EXIT)).isEqualTo(2);
            assertThat(crash.err()).contains("not a crash report: no \"bugCheck\"");
        }
    }

    @Test
    void aWireAddressInUseExits1AndAMissingClassExits2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                JarRun run = JarRun.start(
                        dir, "run", "--driver", "vmini", "--wire", "listen:127.0.0.1:" + taken.getLocalPort())) {
            assertThat(run.awaitExit(EXIT)).isEqualTo(1);
            assertThat(run.err()).contains("Address already in use");
            assertThat(run.err().lines().count()).isEqualTo(1);
        }
        try (JarRun run = JarRun.start(dir, "run", "--driver", "com.example.Missing", "--wire", switchWire)) {
            assertThat(run.awaitExit(EXIT)).isEqualTo(2);
            assertThat(run.err().strip())
                    .isEqualTo("ndis4j run: no class com.example.Missing in the jars given (--jar) or in ndis4j");
        }
    }
}
