package org.ndis4j.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The table {@code ndis4j bench} prints at the end: one row per subject, the median first, then
 * every run and the figures that explain it.
 *
 * <pre>
 * benchmark  subject        median         runs                  notes
 * switch-64  ndis4j switch  7.41 Mpps      7.20, 7.41, 7.62      loss 0, 0.61× relaylimit, 9.8× QEMU hub
 * </pre>
 */
public final class ResultTable {

    private ResultTable() {}

    public static String render(List<Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"benchmark", "subject", "median", "runs", "notes"});
        for (Result r : results) {
            rows.add(new String[] {
                r.benchmark(),
                r.subject(),
                number(r.median()) + " " + r.unit() + (r.metric().startsWith("p50") ? " p50" : ""),
                r.runs().stream().map(ResultTable::number).collect(Collectors.joining(", ")),
                notes(r.details())
            });
        }
        int[] width = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                sb.append(i == row.length - 1 ? row[i] : pad(row[i], width[i] + 2));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String notes(Map<String, Object> d) {
        List<String> notes = new ArrayList<>();
        if (d.get("worstLoss") instanceof Double loss) {
            notes.add("loss " + (loss == 0 ? "0" : String.format(Locale.ROOT, "%.4f", loss)));
        }
        if (d.get("ratioToRelaylimit") instanceof Double ratio) {
            notes.add(String.format(Locale.ROOT, "%.2f× relaylimit", ratio));
        }
        if (d.get("ratioToQemuHub") instanceof Double ratio) {
            notes.add(String.format(Locale.ROOT, "%.1f× QEMU hub", ratio));
        }
        if (d.get("medianP99Micros") instanceof Double p99) {
            notes.add("p99 " + number(p99) + " µs");
        }
        if (d.get("p50RatioToThreadPoolExecutor") instanceof Double ratio) {
            notes.add(String.format(Locale.ROOT, "p50 %.2f× ThreadPoolExecutor", ratio));
        }
        if (d.get("ratioToSwitch") instanceof Double ratio) {
            notes.add(String.format(Locale.ROOT, "%.3f× the switch alone", ratio));
        }
        if (d.get("notMeasured") instanceof String why) {
            notes.add("not measured: " + why);
        }
        if (d.get("cpuMicrosPerFrame") instanceof Double cpu) {
            notes.add(number(cpu) + " µs CPU per frame");
        }
        if (d.get("datagramsPerSendCall") instanceof Integer n) {
            notes.add(n == 1 ? "one datagram per send call" : n + " datagrams per send call");
        }
        if (d.get("profileSamples") instanceof Integer n) {
            notes.add("JFR " + n + " samples");
        }
        if (d.get("profileTop") instanceof List<?> top && !top.isEmpty()) {
            notes.add("JFR top frames: " + joined(top));
        }
        if (d.get("profileNdis4j") instanceof List<?> top && !top.isEmpty()) {
            notes.add("in ndis4j code: " + joined(top));
        }
        if (d.get("profileThreads") instanceof List<?> top && !top.isEmpty()) {
            notes.add("threads: " + joined(top));
        }
        if (d.get("samplesPerRun") instanceof Integer n) {
            notes.add(n + " samples/run");
        }
        return String.join(", ", notes);
    }

    private static String joined(List<?> items) {
        return items.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Three significant digits: 7.41, 15.2, 123. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        String format = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, format, v);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
