package org.ndis4j.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.Ping;
import org.ndis4j.examples.PingDemo;
import org.ndis4j.examples.PingStatistics;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.examples.ipstack.Ipv4Address;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.registry.AdapterConfiguration;
import org.ndis4j.registry.RegistryValue;
import org.ndis4j.tools.config.ConfigException;
import org.ndis4j.tools.config.ConfigReader;
import org.ndis4j.tools.config.RunConfiguration;
import org.ndis4j.tools.endpoint.WireSpec;
import org.ndis4j.wire.WirePort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ndis4j ping}: a host made of a virtual NIC, vmini and ipstack on a TCP or TAP wire pings TARGET and
 * prints what ping(8) prints. Exit status ({@link ExitCode}): 0 when replies came, 1 when none did, 2 on
 * a usage error, 3 when the host's kernel bug-checked.
 */
@Command(
        name = "ping",
        mixinStandardHelpOptions = true,
        description = {
            "Boots a simulated kernel with a virtual NIC on a TCP wire (QEMU stream framing) or a TAP,",
            "the vmini miniport and the ipstack protocol driver, and pings TARGET as ping(8) does. The",
            "peer can be an ndis4j switch or host, a QEMU -netdev stream / -netdev socket listener, or",
            "the Linux kernel's own stack behind a TAP.",
            "Exit status: 0 when replies came, 1 when none did (or the wire failed), 2 on a usage error,",
            "3 when the host's kernel bug-checked."
        })
final class PingCommand implements Callable<Integer> {

    /** Waits this long for the link (the TCP connection) before the first request. */
    static final Duration LINK_WAIT_DEFAULT = Duration.ofSeconds(10);

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A run configuration with one adapter (docs/configuration.md): its keywords"
                    + " (*JumboPacket, NetworkAddress, ...), wire, ip and mac, which the flags override.")
    Path config;

    @Option(
            names = "--wire",
            paramLabel = WireSpec.LABEL,
            converter = WireSpec.Converter.class,
            description = "Connect to a switch or a listening peer, listen for a peer to connect, or use a"
                    + " Linux TAP device (the host's own stack is the peer; needs CAP_NET_ADMIN).")
    WireSpec wire;

    @Option(
            names = "--ip",
            paramLabel = "A.B.C.D/LEN",
            description = "This host's address and prefix length (the target must be on the link).")
    String ip;

    @Option(
            names = "--mac",
            paramLabel = "MAC",
            description = "This host's MAC address (default: 02:00 followed by the four bytes of --ip).")
    String mac;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "4",
            description = "Echo requests to send (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--interval",
            paramLabel = "MS",
            defaultValue = "1000",
            description = "Milliseconds between requests (default: ${DEFAULT-VALUE}).")
    long intervalMillis;

    @Option(
            names = "--timeout",
            paramLabel = "MS",
            defaultValue = "1000",
            description = "Milliseconds to wait for each reply (default: ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(
            names = "--size",
            paramLabel = "BYTES",
            defaultValue = "56",
            description = "ICMP data bytes per request, as ping -s (0..1472, or 0..8972 with *JumboPacket 9014;"
                    + " default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--link-timeout",
            paramLabel = "MS",
            defaultValue = "10000",
            description =
                    "Milliseconds to wait for the link (a listener: for the peer to connect) (default: ${DEFAULT-VALUE}).")
    long linkTimeoutMillis;

    @Parameters(paramLabel = "TARGET", description = "The IPv4 address to ping.")
    String target;

    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PingDemo.quietLogs(); // ping(8)'s lines only
        verbosity.apply();
        RunConfiguration file;
        try {
            file = config == null ? RunConfiguration.empty() : ConfigReader.read(config);
        } catch (ConfigException e) {
            System.err.println("ndis4j ping: " + e.getMessage()); // one line, as run prints it
            return ExitCode.USAGE.code();
        }
        if (file.adapters().size() > 1) {
            throw usage(config + " has " + file.adapters().size() + " adapters; ping runs one");
        }
        RunConfiguration.Adapter configured =
                file.adapters().isEmpty() ? null : file.adapters().get(0);
        if (wire == null && configured != null && configured.wire() != null) {
            wire = configured.wire();
        }
        if (wire == null) {
            throw usage("--wire is required (or \"wire\" on the adapter in --config)");
        }
        InterfaceConfig address;
        if (ip == null && configured != null && configured.ip() != null) {
            address = configured.ip();
        } else if (ip == null) {
            throw usage("--ip is required (or \"ip\" on the adapter in --config)");
        } else {
            address = parse(() -> InterfaceConfig.parse(ip), "--ip");
        }
        AdapterConfiguration registry = configured == null ? AdapterConfiguration.empty() : configured.registry();
        int targetAddress = parse(() -> Ipv4Address.parse(target), "TARGET");
        MacAddress station = mac != null
                ? parse(() -> MacAddress.of(mac), "--mac")
                : configured != null && configured.mac() != null ? configured.mac() : defaultMac(address.address());
        if (station.isGroup()) {
            throw usage("--mac " + station + " is a group address; a station needs a unicast one");
        }
        check(count >= 1 && count <= 1_000_000, "--count must be 1..1000000, not " + count);
        check(
                intervalMillis >= 1 && intervalMillis <= 3_600_000,
                "--interval must be 1..3600000 ms, not " + intervalMillis);
        check(
                timeoutMillis >= 1 && timeoutMillis <= 3_600_000,
                "--timeout must be 1..3600000 ms, not " + timeoutMillis);
        check(linkTimeoutMillis >= 0 && linkTimeoutMillis <= 3_600_000, "--link-timeout must be 0..3600000 ms");
        int maxSize = jumboPacket(registry) - 14 - 28; // the MTU vmini will have, less the IPv4 and ICMP headers
        check(
                size >= 0 && size <= maxSize,
                "--size must be 0.." + maxSize + " (ipstack does not fragment; *JumboPacket 9014 allows 8972), not "
                        + size);
        check(targetAddress != address.address(), "TARGET is this host's own address");
        check(
                address.isOnLink(targetAddress),
                "TARGET " + target + " is not on " + address + " (ipstack has no router; use an address on the link)");

        PrintStream out = System.out;
        WirePort port = wire.open();
        if (wire.kind() != WireSpec.Kind.CONNECT) {
            System.err.println("ndis4j ping: " + wire.opened(port));
        }
        // The file's kernel section (processors, workers, verifier, watchdogs) is the machine ping boots.
        Kernel kernel = Kernel.boot(file.kernel().withName("ping"));
        if (config != null) {
            System.err.println("ndis4j ping: " + describe(kernel.config()));
        }
        try (kernel;
                IpHost host = IpHost.builder("ping", port)
                        .kernel(kernel)
                        .mac(station)
                        .address(address)
                        .filter(false)
                        .configuration(registry)
                        .start()) {
            host.kernel().onCrash(report -> System.err.println(report.toText()));
            if (size > host.ip().maxEchoData()) {
                System.err.println(
                        "ndis4j ping: --size " + size + " is above " + host.ip().maxEchoData()
                                + ", what the adapter's MTU allows (ipstack does not fragment; *JumboPacket 9014 allows 8972)");
                return ExitCode.USAGE.code();
            }
            // The link comes up when the TCP connection does (ipstack hears NDIS_STATUS_LINK_STATE).
            CountDownLatch linkUp = new CountDownLatch(1);
            host.ip().onLinkChange(event -> {
                if (event.connected()) {
                    linkUp.countDown();
                }
            });
            if (!host.ip().isLinkUp() && !linkUp.await(linkTimeoutMillis, TimeUnit.MILLISECONDS)) {
                System.err.println("ndis4j ping: no link on " + wire + " after " + linkTimeoutMillis + " ms");
            }
            Ping ping = new Ping(
                    targetAddress,
                    count,
                    Duration.ofMillis(intervalMillis),
                    Duration.ofMillis(timeoutMillis),
                    size,
                    ThreadLocalRandom.current().nextInt(1, 0x10000));
            PingStatistics statistics = ping.run(host.ip(), line -> {
                out.println(line);
                out.flush();
            });
            if (host.kernel().isCrashed()) {
                return ExitCode.BUG_CHECK.code();
            }
            return statistics.receivedCount() > 0 ? ExitCode.SUCCESS.code() : ExitCode.FAILURE.code();
        }
    }

    /** The adapter's *JumboPacket as vmini will read it (1514 when absent). */
    private static int jumboPacket(AdapterConfiguration registry) {
        if (registry.get("*JumboPacket") instanceof RegistryValue.RegSz text) {
            return Integer.parseInt(text.value().trim()); // checked against 1514..9014 when the file was read
        }
        return 1514;
    }

    /** The machine as booted: {@code kernel ping: 2 processors, 1+1 worker threads, verifier standard, ...}. */
    static String describe(KernelConfig k) {
        return "kernel " + k.name() + ": " + k.processors() + " processors, " + k.criticalWorkers() + " critical and "
                + k.delayedWorkers() + " delayed worker threads, verifier "
                + (k.allocationStacks() ? "full (allocation stacks recorded)" : "standard") + ", DPC watchdog "
                + k.dpcTimeout().toMillis() + " ms per DPC and "
                + k.dpcWatchdogLimit().toMillis()
                + " ms cumulative, NDIS watchdog " + k.ndisWatchdog().toMillis() + " ms";
    }

    /** 02:00 and the address's four bytes: locally administered, unicast, unique per address. */
    static MacAddress defaultMac(int address) {
        return new MacAddress(0x0200_0000_0000L | (address & 0xFFFF_FFFFL));
    }

    private interface Parse<T> {
        T get();
    }

    private <T> T parse(Parse<T> parse, String what) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw usage(what + ": " + e.getMessage());
        }
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw usage(message);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
