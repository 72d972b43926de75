package org.ndis4j.kernel.internal.controlled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays a trace: at every choice step it checks that the run is where the trace was (the same
 * step number, context, site and enabled actions) and takes the trace's choice; data choices read the
 * trace's values. The first mismatch is a divergence, reported with both sides.
 */
final class Replayer implements Strategy {

    private final Path file;
    private final List<Map<String, Object>> records = new ArrayList<>();
    private final Map<String, Object> header;
    private final Map<String, Object> footer;
    private int next;

    Replayer(Path file) {
        this.file = file;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trace " + file + ": " + e.getMessage(), e);
        }
        Map<String, Object> h = null;
        Map<String, Object> f = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> r = Json.parse(line);
            switch (String.valueOf(r.get("type"))) {
                case "header" -> h = r;
                case "footer" -> f = r;
                case "note" -> {} // the strategy's own remarks: nothing to follow
                default -> records.add(r);
            }
        }
        if (h == null || !Long.valueOf(TraceWriter.FORMAT).equals(h.get("format"))) {
            throw new IllegalArgumentException(file + " is no ndis4j trace of format " + TraceWriter.FORMAT);
        }
        this.header = h;
        this.footer = f;
    }

    /** The trace's header line, as read. */
    Map<String, Object> header() {
        return header;
    }

    @Override
    public int pick(int[] actions, int count, long step, long choiceStep, String by, String site, World world) {
        List<String> enabled = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            enabled.add(world.actionId(actions[i]));
        }
        String here = by + " at " + site + ", enabled " + enabled;
        if (next >= records.size()) {
            throw diverged(
                    step, choiceStep, world, "the trace ends" + (footer == null ? " (it is truncated)" : ""), here);
        }
        Map<String, Object> r = records.get(next);
        if (!"step".equals(r.get("type"))) {
            throw diverged(step, choiceStep, world, "a data choice " + r.get("what") + " comes next", here);
        }
        String there =
                r.get("by") + " at " + r.get("at") + ", enabled " + r.get("enabled") + ", chose " + r.get("chosen");
        if (((Long) r.get("n")) != step
                || !by.equals(r.get("by"))
                || !site.equals(r.get("at"))
                || !enabled.equals(r.get("enabled"))) {
            throw diverged(
                    ((Long) r.get("n")).longValue() == step ? step : Math.min(step, (Long) r.get("n")),
                    choiceStep,
                    world,
                    "step " + r.get("n") + ": " + there,
                    "step " + step + ": " + here);
        }
        next++;
        return enabled.indexOf((String) r.get("chosen"));
    }

    @Override
    public int choose(String what, int bound, long step) {
        if (next >= records.size()) {
            throw new ReplayDivergence("Replay of " + file + " diverged at step " + step
                    + ": this run makes the data choice " + what + " but the trace ends");
        }
        Map<String, Object> r = records.get(next);
        if (!"choice".equals(r.get("type")) || !what.equals(r.get("what")) || ((Long) r.get("bound")) != bound) {
            throw new ReplayDivergence("Replay of " + file + " diverged at step " + step + ":\n  the trace has  "
                    + describe(r) + "\n  this run has   the data choice " + what + " of " + bound);
        }
        next++;
        return ((Long) r.get("value")).intValue();
    }

    private static String describe(Map<String, Object> r) {
        return "step".equals(r.get("type"))
                ? "step " + r.get("n") + ": " + r.get("by") + " at " + r.get("at") + ", enabled " + r.get("enabled")
                : "the data choice " + r.get("what") + " of " + r.get("bound");
    }

    private ReplayDivergence diverged(long step, long choiceStep, World world, String trace, String run) {
        return new ReplayDivergence("Replay of " + file + " diverged at step " + step + " (choice " + choiceStep
                + ", t="
                + EventLog.seconds(world.now()) + " s):\n  the trace has  " + trace + "\n  this run has   " + run
                + "\n  (after a code change this is expected; before this step the schedules are identical)");
    }

    /** Null when the trace was used up; else how the run ended early. */
    String unfinished(long steps) {
        if (next >= records.size()) {
            return null;
        }
        return "Replay of " + file + " diverged: this run ended at step " + steps + " but the trace goes on with "
                + describe(records.get(next));
    }

    /** Null when the outcome matches the trace's footer; else the difference. */
    String compareOutcome(String result, String sha256) {
        if (footer == null) {
            return "Replay of " + file + ": the trace has no footer (truncated); the schedule was followed to its end";
        }
        if (!result.equals(footer.get("result")) || !sha256.equals(footer.get("eventLogSha256"))) {
            return "Replay of " + file + ": same schedule, different outcome: the trace says " + footer.get("result")
                    + " with event log sha256 " + footer.get("eventLogSha256") + ", this run " + result + " with "
                    + sha256 + " (uncontrolled nondeterminism: see docs/deterministic.md#hazards)";
        }
        return null;
    }

    @Override
    public String describe() {
        return "replay";
    }
}
