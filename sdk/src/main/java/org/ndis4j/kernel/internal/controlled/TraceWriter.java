package org.ndis4j.kernel.internal.controlled;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The run's trace, JSON Lines: a header (format, test, seeds, strategy, granularity, limits, ndis4j
 * version and commit, JVM), a line per choice step (step, choice, virtual time in 100-ns units, the
 * context that reached the point and where, the enabled actions, the chosen one), a line per data
 * choice, and a footer (result, counts, the event log's SHA-256). Kept in memory; written for a
 * failing run.
 */
final class TraceWriter {

    static final int FORMAT = 1;

    private final List<String> lines = new ArrayList<>();
    private final StringBuilder sb = new StringBuilder(160);

    TraceWriter(WorldSettings s, String strategy) {
        Properties build = build();
        lines.add("{\"type\":\"header\",\"format\":" + FORMAT
                + ",\"test\":" + Json.quote(s.test())
                + ",\"iteration\":" + s.iteration()
                + ",\"masterSeed\":" + Json.quote(hex(s.masterSeed()))
                + ",\"seed\":" + Json.quote(hex(s.seed()))
                + ",\"strategy\":" + Json.quote(strategy)
                + ",\"granularity\":" + Json.quote(s.dispatchAtomic() ? "DISPATCH_ATOMIC" : "NDIS_CALL")
                + ",\"maxSteps\":" + s.maxSteps()
                + ",\"hangPolicy\":" + Json.quote(s.fireWatchdogs() ? "FIRE_WATCHDOGS" : "REPORT_DEADLOCK")
                + ",\"ndis4j\":" + Json.quote(build.getProperty("version", "unknown"))
                + ",\"commit\":" + Json.quote(build.getProperty("commit", "unknown"))
                + ",\"jvm\":" + Json.quote(Runtime.version().toString()) + "}");
    }

    static String hex(long seed) {
        return "0x" + Long.toHexString(seed);
    }

    private static Properties build() {
        Properties p = new Properties();
        try (InputStream in = TraceWriter.class.getResourceAsStream("/META-INF/ndis4j-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Unknown build: the header says so.
        }
        return p;
    }

    void step(
            long step,
            long choice,
            long now,
            String by,
            String site,
            World world,
            int[] actions,
            int count,
            int chosen) {
        sb.setLength(0);
        sb.append("{\"type\":\"step\",\"n\":").append(step).append(",\"c\":").append(choice);
        sb.append(",\"t\":").append(now / 100).append(",\"by\":").append(Json.quote(by));
        sb.append(",\"at\":").append(Json.quote(site)).append(",\"enabled\":[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(world.actionId(actions[i]))
                    .append('"');
        }
        sb.append("],\"chosen\":\"").append(world.actionId(chosen)).append("\"}");
        lines.add(sb.toString());
    }

    void choice(long step, String what, int bound, int value) {
        lines.add("{\"type\":\"choice\",\"n\":" + step + ",\"what\":" + Json.quote(what) + ",\"bound\":" + bound
                + ",\"value\":" + value + "}");
    }

    /** A line the replayer skips: what the strategy did of its own (the fair fallback taking over). */
    void note(long step, long choice, String text) {
        lines.add("{\"type\":\"note\",\"n\":" + step + ",\"c\":" + choice + ",\"text\":" + Json.quote(text) + "}");
    }

    void footer(String result, String failure, long steps, long choices, long now, EventLog log) {
        lines.add("{\"type\":\"footer\",\"result\":" + Json.quote(result) + ",\"steps\":" + steps + ",\"choiceSteps\":"
                + choices + ",\"t\":" + now / 100 + ",\"failure\":" + (failure == null ? "null" : Json.quote(failure))
                + ",\"eventLogLines\":" + log.lines() + ",\"eventLogSha256\":" + Json.quote(log.sha256()) + "}");
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
