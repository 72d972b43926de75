package org.ndis4j.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames per second through the ndis4j switch at one frame size, with {@link WireLoad} as the
 * generator: with its default tail drop, and with flow control (lossless like a blocking relay),
 * then through each installed reference the same way, run after run in turn (so every run compares
 * like with like on a machine whose load moves): {@code relaylimit}, the ceiling of any user-space
 * relay here, and a QEMU hub. One unreported warm-up run of each switch lets the JIT compile it.
 */
final class SwitchForwarding implements Benchmark {

    private final int size;

    SwitchForwarding(int size) {
        this.size = size;
    }

    @Override
    public String name() {
        return "switch-" + size;
    }

    @Override
    public String description() {
        return "switch forwarding, " + size + "-byte frames";
    }

    @Override
    public long work(BenchSettings s) {
        long subjects = 2 + (s.relaylimit() != null ? 1 : 0) + (s.qemu() != null ? 1 : 0);
        return s.frames(size) + subjects * s.runs() * s.frames(size);
    }

    @Override
    public List<Result> run(BenchSettings s, Progress progress) throws Exception {
        long count = s.frames(size);
        List<WireLoad.Outcome> drop = new ArrayList<>();
        List<WireLoad.Outcome> flow = new ArrayList<>();
        List<WireLoad.Outcome> limit = new ArrayList<>();
        List<WireLoad.Outcome> qemu = new ArrayList<>();
        try (Relay.Switch tailDrop = Relay.Switch.start(s.ndis4j(), false);
                Relay.Switch flowControl = Relay.Switch.start(s.ndis4j(), true)) {
            for (Relay.Switch sw : List.of(tailDrop, flowControl)) {
                progress.phase(size + " B: warm-up, " + sw.name());
                WireLoad.run(sw.txAddress(), sw.rxAddress(), count / 2, size, sw.ready(), progress);
            }
            for (int run = 1; run <= s.runs(); run++) {
                drop.add(measure(tailDrop, count, run, progress));
                flow.add(measure(flowControl, count, run, progress));
                if (s.relaylimit() != null) {
                    try (Relay r = Relay.RelayLimit.start(s.relaylimit())) {
                        limit.add(measure(r, count, run, progress));
                    }
                }
                if (s.qemu() != null) {
                    try (Relay r = Relay.QemuHub.start(s.qemu())) {
                        qemu.add(measure(r, count, run, progress));
                    }
                }
            }
        }
        List<Result> results = new ArrayList<>();
        results.add(result("ndis4j switch", drop, limit, qemu));
        results.add(result("ndis4j switch --flow-control", flow, limit, qemu));
        if (!limit.isEmpty()) {
            results.add(result("relaylimit", limit, List.of(), List.of()));
        }
        if (!qemu.isEmpty()) {
            results.add(result("QEMU hub", qemu, List.of(), List.of()));
        }
        return results;
    }

    private WireLoad.Outcome measure(Relay relay, long count, int run, Progress progress) throws Exception {
        progress.phase(size + " B: " + relay.name() + ", run " + run);
        return WireLoad.run(relay.txAddress(), relay.rxAddress(), count, size, relay.ready(), progress);
    }

    private Result result(
            String subject, List<WireLoad.Outcome> runs, List<WireLoad.Outcome> limit, List<WireLoad.Outcome> qemu) {
        boolean small = size <= 64;
        List<Double> values = new ArrayList<>();
        double worstLoss = 0;
        for (WireLoad.Outcome o : runs) {
            values.add(small ? o.framesPerSecond() / 1e6 : o.gigabitsPerSecond());
            worstLoss = Math.max(worstLoss, o.loss());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("frameBytes", size);
        details.put("framesPerRun", runs.get(0).sent());
        details.put(
                "medianMpps",
                Samples.median(runs.stream().map(o -> o.framesPerSecond() / 1e6).toList()));
        details.put(
                "medianGbps",
                Samples.median(
                        runs.stream().map(WireLoad.Outcome::gigabitsPerSecond).toList()));
        details.put("worstLoss", worstLoss);
        ratio(details, "ratioToRelaylimit", runs, limit);
        ratio(details, "ratioToQemuHub", runs, qemu);
        return Result.of(
                name(), subject, small ? "frames/s" : "throughput", small ? "Mpps" : "Gbit/s", values, details);
    }

    /** The median of the per-run ratios (each pair measured back to back). */
    private static void ratio(
            Map<String, Object> details, String key, List<WireLoad.Outcome> ours, List<WireLoad.Outcome> theirs) {
        if (theirs.isEmpty()) {
            return;
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
            ratios.add(ours.get(i).framesPerSecond() / theirs.get(i).framesPerSecond());
        }
        details.put(key, Samples.median(ratios));
    }
}
