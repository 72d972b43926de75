package org.ndis4j.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ndis4j.examples.PingDemo;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.registry.AdapterConfiguration;
import org.ndis4j.tools.config.ConfigException;
import org.ndis4j.tools.config.ConfigReader;
import org.ndis4j.tools.config.RunConfiguration;
import org.ndis4j.tools.control.ControlServer;
import org.ndis4j.tools.endpoint.HostPort;
import org.ndis4j.tools.endpoint.WireSpec;
import org.ndis4j.tools.run.CrashFiles;
import org.ndis4j.tools.run.DriverLoader;
import org.ndis4j.tools.run.LeakReport;
import org.ndis4j.tools.run.RunHost;
import org.ndis4j.tools.run.RunResources;
import org.ndis4j.tools.run.RunStatistics;
import org.ndis4j.tools.run.UsageException;
import org.ndis4j.wire.CannotListenException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ndis4j run}: the user's miniport (and filters and protocols) from their jars, on a simulated
 * kernel with a virtual NIC per adapter on a TCP wire or a TAP, until SIGINT or SIGTERM. Exit status:
 * 0 after a clean halt, 1 operational failure (address in use), 2 usage or configuration error, 3 bug
 * check (the crash report written), 4 leaks found at halt (also written).
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs your miniport driver: loads it (and your filters and protocols) from your jars in a class",
            "loader of their own, boots a simulated kernel, adds a virtual NIC per adapter on a TCP wire (QEMU",
            "stream framing) or a Linux TAP, and runs until SIGINT/SIGTERM, printing statistics every few",
            "seconds. Then it halts every device and reports what the verifier found. Flags override a",
            "configuration with one adapter. Exit status: 0 clean halt, 1 operational failure, 2 usage or",
            "configuration error, 3 bug check (crash report written), 4 leaks at halt (one line each)."
        })
final class RunCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int OPERATIONAL = 1;
    static final int USAGE = 2;
    static final int BUG_CHECK = 3;
    static final int LEAKS = 4;

    @Option(names = "--config", paramLabel = "FILE", description = "A run configuration (docs/configuration.md).")
    Path config;

    @Option(names = "--jar", paramLabel = "FILE", description = "A jar with your drivers (repeatable).")
    List<Path> jars = new ArrayList<>();

    @Option(
            names = "--driver",
            paramLabel = "CLASS",
            description = "The miniport: a class with NdisStatus driverEntry(DriverObject, String), or vmini.")
    String driver;

    @Option(
            names = "--filter",
            paramLabel = "CLASS",
            description = "A filter driver, bottom first (repeatable): a class, or vlanfilter.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--protocol", paramLabel = "ipstack|CLASS", description = "A protocol driver: ipstack or a class.")
    String protocol;

    @Option(names = "--ip", paramLabel = "A.B.C.D/LEN", description = "The adapter's address for ipstack.")
    String ip;

    @Option(names = "--mac", paramLabel = "MAC", description = "The NIC's permanent address.")
    String mac;

    @Option(
            names = "--wire",
            paramLabel = WireSpec.LABEL,
            converter = WireSpec.Converter.class,
            description = "The adapter's cable: connect to a switch or peer, listen for one, or a Linux TAP device"
                    + " (the host's own stack is the peer; needs CAP_NET_ADMIN).")
    WireSpec wire;

    @Option(
            names = "--control",
            paramLabel = "HOST:PORT",
            converter = HostPort.class,
            description = "Serve the control endpoint (JSON over HTTP: /health, /statistics, /ping) here.")
    InetSocketAddress control;

    @Option(
            names = "--crash-dir",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Where a crash report (JSON) is written (default: the current directory).")
    Path crashDir;

    @Option(names = "--json", description = "Statistics as NDJSON on stdout, one object per line.")
    boolean json;

    @Option(
            names = "--stats-interval",
            paramLabel = "SECONDS",
            converter = Seconds.class,
            defaultValue = "5",
            description = "Print statistics this often; 0 only at exit (default: ${DEFAULT-VALUE}).")
    Duration statsInterval;

    @Mixin
    Verbosity verbosity;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws InterruptedException {
        verbosity.apply();
        PingDemo.quietLogs();
        RunConfiguration run;
        try {
            run = merge(config == null ? RunConfiguration.empty() : ConfigReader.read(config));
        } catch (ConfigException | UsageException e) {
            return usage(e.getMessage());
        }
        if (control != null) {
            ListenWarning.of(control, "the control endpoint", "can read the statistics and send pings")
                    .ifPresent(w -> err.println("ndis4j run: " + w));
        }
        RunResources resources = new RunResources();
        ControlServer endpoint = null;
        if (control != null) {
            try {
                endpoint = ControlServer.start(control, List.of(resources));
            } catch (CannotListenException e) {
                return verbosity.fail(err, "ndis4j run", e, "");
            }
        }
        try (DriverLoader loader = new DriverLoader(run.drivers().jars())) {
            return runUntilStopped(run, loader, resources, endpoint);
        } catch (IOException e) {
            return verbosity.fail(err, "ndis4j run", e, "");
        } finally {
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }

    private int runUntilStopped(
            RunConfiguration run, DriverLoader loader, RunResources resources, ControlServer endpoint)
            throws InterruptedException {
        RunHost host;
        try {
            host = RunHost.start(run, loader);
        } catch (UsageException e) {
            return usage(e.getMessage());
        } catch (BugCheckException e) {
            return crashed(e.report(), BUG_CHECK);
        } catch (UncheckedIOException e) {
            return verbosity.fail(err, "ndis4j run", e, "");
        } catch (RuntimeException e) {
            return verbosity.fail(err, "ndis4j run", e, "");
        }
        for (String driverClass : driverClasses(run)) {
            err.println("ndis4j run: " + driverClass + " from " + loader.origin(driverClass));
        }
        resources.serve(host);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        int[] exit = {OK};
        Thread hook = new Thread(
                () -> {
                    stop.countDown();
                    try {
                        finished.await(90, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    out.flush();
                    err.flush();
                    Runtime.getRuntime().halt(exit[0]); // the status of this run, not the signal's
                },
                "ndis4j-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            announce(host, endpoint);
            exit[0] = serve(host, stop);
        } finally {
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs: it exits with exit[0]
        }
        return exit[0];
    }

    /** Prints statistics until asked to stop or the machine crashes; then halts. Returns the exit status. */
    private int serve(RunHost host, CountDownLatch stop) throws InterruptedException {
        Kernel kernel = host.kernel();
        long interval = statsInterval.isZero() ? Long.MAX_VALUE : statsInterval.toNanos();
        long next = System.nanoTime() + interval;
        while (!stop.await(100, TimeUnit.MILLISECONDS)) {
            if (kernel.isCrashed()) {
                host.closeAfterFailure();
                return crashed(kernel.crashReport().orElseThrow(), BUG_CHECK);
            }
            if (System.nanoTime() - next >= 0) {
                statistics(host);
                next += interval;
            }
        }
        statistics(host);
        err.println("ndis4j run: halting (devices removed, drivers unloaded)");
        try {
            host.halt();
        } catch (BugCheckException e) {
            // reported below from the kernel
        }
        Optional<CrashReport> report = kernel.crashReport();
        if (report.isPresent() && LeakReport.isLeak(report.get())) {
            return leaked(report.get());
        }
        if (report.isPresent()) {
            return crashed(report.get(), BUG_CHECK);
        }
        err.println("ndis4j run: halted cleanly, nothing leaked");
        return OK;
    }

    /** The drivers run loads from classes (not the built-in vmini, vlanfilter, ipstack names). */
    private static List<String> driverClasses(RunConfiguration run) {
        List<String> classes = new ArrayList<>();
        classes.add(run.drivers().miniport());
        classes.addAll(run.drivers().filters());
        classes.addAll(run.drivers().protocols());
        classes.removeIf(c -> Set.of("vmini", "vlanfilter", "ipstack").contains(c));
        return classes;
    }

    private void announce(RunHost host, ControlServer endpoint) {
        for (RunHost.Adapter a : host.adapters()) {
            err.println("ndis4j run: " + a.handle().name() + " on " + a.config().wire() + ", MAC "
                    + a.nic().permanentAddress()
                    + (host.ip(a.config().name()) != null
                            ? ", ipstack " + host.ip(a.config().name()).config()
                            : "")
                    + (a.config().registry().values().isEmpty()
                            ? ""
                            : ", " + a.config().registry()));
            if (a.config().wire().kind() != WireSpec.Kind.CONNECT) {
                err.println("ndis4j run: " + a.config().name() + " "
                        + a.config().wire().opened(a.wire()));
            }
        }
        if (endpoint != null) {
            err.println("ndis4j run: control endpoint " + endpoint.url());
        }
        err.println("ndis4j run: running (Ctrl-C stops)");
        err.flush();
    }

    private void statistics(RunHost host) {
        out.println(json ? RunStatistics.json(host) : RunStatistics.line(host));
        out.flush();
    }

    /** The blue screen on stderr, the JSON report into the crash directory. */
    private int crashed(CrashReport report, int status) {
        err.print(report.toText());
        try {
            Path file = CrashFiles.write(crashDir, report);
            err.println("ndis4j run: crash report written to " + file + " (ndis4j crash " + file + " explains it)");
        } catch (IOException e) {
            err.println("ndis4j run: cannot write the crash report into " + crashDir + ": " + e.getMessage());
        }
        err.flush();
        return status;
    }

    /** One line naming each leaked object and where it was allocated; the whole report into the crash directory. */
    private int leaked(CrashReport report) {
        if (verbosity.verbose) {
            err.print(report.toText());
        }
        String written;
        try {
            Path file = CrashFiles.write(crashDir, report);
            written = "; report " + file + " (ndis4j crash explains it)";
        } catch (IOException e) {
            written = "; cannot write the report into " + crashDir + ": " + e.getMessage();
        }
        err.println("ndis4j run: " + LeakReport.line(report) + written);
        err.flush();
        return LEAKS;
    }

    private int usage(String message) {
        err.println("ndis4j run: " + message);
        err.flush();
        return USAGE;
    }

    /** The file's configuration with the flags applied (flags win; adapter flags need at most one adapter). */
    RunConfiguration merge(RunConfiguration file) {
        boolean adapterFlags = wire != null || ip != null || mac != null;
        List<RunConfiguration.Adapter> adapters = new ArrayList<>(file.adapters());
        if (adapterFlags && adapters.size() > 1) {
            throw new UsageException("--wire, --ip and --mac describe one adapter, and " + config + " has "
                    + adapters.size() + ": put them in the file");
        }
        RunConfiguration.Adapter base = adapters.isEmpty()
                ? new RunConfiguration.Adapter("vnic0", null, null, null, AdapterConfiguration.empty())
                : adapters.get(0);
        RunConfiguration.Adapter merged = new RunConfiguration.Adapter(
                base.name(),
                mac == null ? base.mac() : parse(() -> unicast(MacAddress.of(mac)), "--mac"),
                wire == null ? base.wire() : wire,
                ip == null ? base.ip() : parse(() -> InterfaceConfig.parse(ip), "--ip"),
                base.registry());
        if (adapters.isEmpty()) {
            adapters.add(merged);
        } else {
            adapters.set(0, merged);
        }
        for (RunConfiguration.Adapter a : adapters) {
            if (a.wire() == null) {
                throw new UsageException("adapter " + a.name() + " has no wire: --wire " + WireSpec.LABEL);
            }
        }
        List<Path> allJars = new ArrayList<>(file.drivers().jars());
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                throw new UsageException("--jar " + jar + ": no such file");
            }
            allJars.add(jar);
        }
        String miniport = driver != null ? driver : file.drivers().miniport();
        if (miniport == null) {
            throw new UsageException("no miniport: --driver CLASS (or \"miniport\" under \"drivers\" in --config)");
        }
        List<String> filterList = filters.isEmpty() ? file.drivers().filters() : filters;
        List<String> protocols =
                protocol != null ? List.of(protocol) : file.drivers().protocols();
        return new RunConfiguration(
                file.kernel(), adapters, new RunConfiguration.Drivers(allJars, miniport, filterList, protocols));
    }

    private static MacAddress unicast(MacAddress address) {
        if (address.isGroup()) {
            throw new IllegalArgumentException(address + " is a group address; a NIC's own address is unicast");
        }
        return address;
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(Parse<T> parse, String option) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }
}
