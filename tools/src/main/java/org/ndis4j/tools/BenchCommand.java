package org.ndis4j.tools;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ndis4j.tools.bench.BenchSettings;
import org.ndis4j.tools.bench.Benchmark;
import org.ndis4j.tools.bench.Benchmarks;
import org.ndis4j.tools.bench.Progress;
import org.ndis4j.tools.bench.Result;
import org.ndis4j.tools.bench.ResultTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ndis4j bench}: runs the project's benchmarks (switch forwarding with its own load
 * generator, work-item and interrupt-to-DPC latency) with the installed references beside them,
 * and prints a table, or JSON.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the ndis4j benchmarks and prints a table (or --json): switch forwarding at 64 and",
            "1514 bytes with a built-in load generator, NDIS work-item latency and interrupt-to-DPC",
            "latency. Where relaylimit and QEMU are installed, they are measured the same way, run",
            "after run, as references. Every figure is the median of --runs runs."
        })
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the results as JSON instead of a table.")
    boolean json;

    @Option(names = "--list", description = "List the benchmarks and exit.")
    boolean list;

    @Option(names = "--only", paramLabel = "NAME", split = ",", description = "Run only these benchmarks (see --list).")
    List<String> only;

    @Option(
            names = "--runs",
            paramLabel = "N",
            defaultValue = "3",
            description = "Measured runs per subject (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--frames",
            paramLabel = "N",
            description = "Frames per forwarding run (default: 5000000 at 64 B, 2000000 at 1514 B).")
    Long frames;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "20000",
            description = "Samples per latency run (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--burst",
            paramLabel = "N",
            defaultValue = "" + BenchSettings.DEFAULT_BURST,
            description = "Datagrams per NdisSendNetBufferLists call (one NBL chain) in host-udp-*; 1 sends them"
                    + " one call each (default: ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--quick", description = "One short run of each: a smoke test, not a measurement.")
    boolean quick;

    @Option(
            names = "--relaylimit",
            paramLabel = "PATH",
            description = "The relaylimit binary (default: relaylimit on the PATH, if any).")
    Path relaylimit;

    @Option(
            names = "--qemu",
            paramLabel = "PATH",
            description = "qemu-system-x86_64 for the QEMU hub reference (default: on the PATH, if any).")
    Path qemu;

    @Option(names = "--no-references", description = "Measure ndis4j only.")
    boolean noReferences;

    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!verbosity.verbose) {
            // Neither the switch's log lines nor the NDIS trace of the benchmark miniport's life.
            System.setProperty("org.slf4j.simpleLogger.log.org.ndis4j", "warn");
            System.setProperty("org.slf4j.simpleLogger.log.org.ndis4j.trace", "warn");
        }
        verbosity.apply();
        PrintStream out = System.out;
        List<Benchmark> chosen = chosen();
        if (list) {
            chosen.forEach(b -> out.printf("%-15s %s%n", b.name(), b.description()));
            return 0;
        }
        BenchSettings settings = settings();
        if (!json) {
            out.printf(
                    "ndis4j bench: %d processors, Java %s; references: %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    references(settings));
            out.flush();
        }
        List<Result> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Benchmark b : chosen) {
            try (Progress progress = Progress.forConsole(b.name(), b.work(settings))) {
                results.addAll(b.run(settings, progress));
            } catch (Exception e) {
                failures.add(b.name());
                verbosity.fail(System.err, "ndis4j bench: " + b.name() + " failed", e, "");
            }
        }
        if (json) {
            out.println(JsonMapper.builder()
                    .build()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(report(settings, results)));
        } else {
            out.print(ResultTable.render(results));
        }
        out.flush();
        return failures.isEmpty() ? 0 : 1;
    }

    private List<Benchmark> chosen() {
        List<Benchmark> all = Benchmarks.all();
        if (only == null) {
            return all;
        }
        List<Benchmark> chosen = new ArrayList<>();
        for (String name : only) {
            Benchmark b =
                    all.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
            if (b == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        "no benchmark named '" + name + "'; there are "
                                + String.join(
                                        ", ", all.stream().map(Benchmark::name).toList()));
            }
            chosen.add(b);
        }
        return chosen;
    }

    private BenchSettings settings() {
        if (runs < 1 || runs > 100) {
            throw new ParameterException(spec.commandLine(), "--runs must be 1..100, not " + runs);
        }
        if (burst < 1 || burst > BenchSettings.MAX_BURST) {
            throw new ParameterException(
                    spec.commandLine(), "--burst must be 1.." + BenchSettings.MAX_BURST + ", not " + burst);
        }
        if (samples < 1 || samples > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--samples must be 1..10000000, not " + samples);
        }
        if (frames != null && (frames < 1000 || frames > 1_000_000_000L)) {
            throw new ParameterException(spec.commandLine(), "--frames must be 1000..1000000000, not " + frames);
        }
        Path limit = noReferences ? null : existing(relaylimit, "relaylimit", "--relaylimit");
        Path qemuBinary = noReferences ? null : existing(qemu, "qemu-system-x86_64", "--qemu");
        // The switch under test runs as users run it: this same ndis4j, in a JVM of its own.
        List<String> ndis4j = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Ndis4j.class.getName());
        if (quick) {
            return new BenchSettings(1, 200_000, 50_000, 2_000, limit, qemuBinary, ndis4j, burst);
        }
        return new BenchSettings(
                runs,
                frames != null ? frames : 5_000_000,
                frames != null ? frames : 2_000_000,
                samples,
                limit,
                qemuBinary,
                ndis4j,
                burst);
    }

    /** The path given (which must be executable), else {@code name} on the PATH, else null. */
    private Path existing(Path given, String name, String option) {
        if (given != null) {
            if (!Files.isExecutable(given)) {
                throw new ParameterException(spec.commandLine(), option + " " + given + " is not an executable file");
            }
            return given;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String references(BenchSettings s) {
        List<String> refs = new ArrayList<>();
        if (s.relaylimit() != null) {
            refs.add("relaylimit (" + s.relaylimit() + ")");
        }
        if (s.qemu() != null) {
            refs.add("QEMU hub (" + s.qemu() + ")");
        }
        return refs.isEmpty() ? "none installed" : String.join(", ", refs);
    }

    private static Map<String, Object> report(BenchSettings s, List<Result> results) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("processors", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("machine", machine);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("runs", s.runs());
        settings.put("frames64", s.frames64());
        settings.put("frames1514", s.frames1514());
        settings.put("samples", s.samples());
        settings.put(
                "relaylimit", s.relaylimit() == null ? null : s.relaylimit().toString());
        settings.put("qemu", s.qemu() == null ? null : s.qemu().toString());
        m.put("settings", settings);
        m.put("results", results);
        return m;
    }
}
