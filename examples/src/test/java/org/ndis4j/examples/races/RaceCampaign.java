package org.ndis4j.examples.races;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Exploration;
import org.ndis4j.kernel.ExplorationStrategy;
import org.ndis4j.kernel.Simulation;

/**
 * One campaign of scripts/det-campaign.sh, in its own JVM: a race scenario explored with one master
 * seed under one strategy, or run again and again on the threaded kernel, until the race's failure
 * shows or the wall time (or schedule budget) runs out. Prints one tab-separated line:
 *
 * <pre>
 *   race  mode  variant  master-seed  found|clean  schedules  wall-ms  failure
 * </pre>
 *
 * {@code schedules} counts the runs made, the failing one included; the wall time starts after a
 * warm-up of the fixed twin in the same mode. {@code table FILE...} turns such
 * lines into the Markdown table of docs/deterministic.md.
 *
 * <pre>
 *   RaceCampaign RACE MODE VARIANT MASTER_SEED SECONDS MAX_SCHEDULES
 *       MODE: a strategy token, random | pct(d=2) | probabilistic(b=3), or threaded
 *   RaceCampaign table FILE...
 *   RaceCampaign strategies        the deterministic strategies this build has
 * </pre>
 */
final class RaceCampaign {

    private RaceCampaign() {}

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("table")) {
            List<String> lines = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                lines.addAll(Files.readAllLines(Path.of(args[i])));
            }
            System.out.print(table(lines));
            return;
        }
        if (args.length == 1 && args[0].equals("strategies")) {
            for (ExplorationStrategy s : ExplorationStrategy.values()) {
                System.out.println(s.name().toLowerCase(Locale.ROOT));
            }
            return;
        }
        if (args.length != 6) {
            System.err.println("usage: RaceCampaign RACE MODE VARIANT MASTER_SEED SECONDS MAX_SCHEDULES"
                    + " | RaceCampaign table FILE...");
            System.exit(2);
        }
        Race race = Race.of(args[0]);
        String mode = args[1].toLowerCase(Locale.ROOT);
        Variant variant = Variant.valueOf(args[2]);
        long master = Simulation.parseSeed(args[3]);
        long wallNanos = Long.parseLong(args[4]) * 1_000_000_000L;
        int max = Integer.parseInt(args[5]);
        warmUp(race, mode, master);
        long start = System.nanoTime();
        int schedules = 0;
        Failure found = null;
        RaceExploration exploration =
                mode.equals("threaded") ? null : new RaceExploration(race, variant, Exploration.parse(mode), master);
        while (schedules < max && System.nanoTime() - start < wallNanos && found == null) {
            Optional<Failure> failure =
                    exploration == null ? RaceRuns.threaded(race, variant) : exploration.run(schedules);
            schedules++;
            found = failure.orElse(null);
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        String shows = found == null ? "clean" : race.shows(found) ? "found" : "other";
        System.out.println(String.join(
                "\t",
                race.id,
                mode,
                variant.name(),
                Simulation.seedText(master),
                shows,
                Integer.toString(schedules),
                Long.toString(wallMs),
                found == null ? "" : found.summary()));
        if (found != null && !race.shows(found)) {
            System.err.println(found.text());
        }
        System.exit(0); // a threaded kernel left hanging by a found deadlock must not keep the JVM
    }

    /** How long a campaign runs the fixed twin before its clock starts. */
    static final long WARM_UP_NANOS = 2_000_000_000L;

    /**
     * Before the clock starts: loads what the first bug check needs (the crash report's JSON mapper
     * takes seconds on a loaded machine), so that the first failure is not slower than the rest, and
     * the threaded kernel's NDIS watchdog does not fire while a halt that already hit the race builds
     * its report; then runs the race's fixed twin in the same mode for {@link #WARM_UP_NANOS}, so the
     * measured runs are not the JIT's: on the threaded kernel a cold JVM's compiler threads preempt
     * the driver's threads at every other call and open windows a warm one does not.
     */
    private static void warmUp(Race race, String mode, long master) {
        try {
            Class.forName(CrashReport.class.getName(), true, RaceCampaign.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        RaceExploration twin = mode.equals("threaded")
                ? null
                : new RaceExploration(race, Variant.FIXED, Exploration.parse(mode), ~master);
        long start = System.nanoTime();
        for (int i = 0; System.nanoTime() - start < WARM_UP_NANOS; i++) {
            Optional<Failure> failure = twin == null ? RaceRuns.threaded(race, Variant.FIXED) : twin.run(i);
            failure.ifPresent(f -> System.err.println(race + "'s fixed twin failed while warming up: " + f.summary()));
        }
    }

    /** Per race and mode: schedules to the first failure of each campaign, found/N, the median. */
    static String table(List<String> lines) {
        Map<String, List<String[]>> rows = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length >= 7) {
                rows.computeIfAbsent(f[0] + "\t" + f[1] + "\t" + f[2], k -> new ArrayList<>())
                        .add(f);
            }
        }
        StringBuilder out = new StringBuilder(
                "| race | mode | schedules to first failure, per campaign (— = none within the wall time: runs made) | found | median | runs/s |\n"
                        + "|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<String[]>> e : rows.entrySet()) {
            String[] key = e.getKey().split("\t");
            List<Integer> foundAt = new ArrayList<>();
            List<String> cells = new ArrayList<>();
            long runs = 0;
            long ms = 0;
            for (String[] f : e.getValue()) {
                int n = Integer.parseInt(f[5]);
                runs += n;
                ms += Long.parseLong(f[6]);
                if (f[4].equals("found")) {
                    foundAt.add(n);
                    cells.add(Integer.toString(n));
                } else {
                    cells.add("—(" + n + (f[4].equals("other") ? ", other: " + f[7] : "") + ")");
                }
            }
            foundAt.sort(null);
            String median = foundAt.isEmpty()
                    ? "—"
                    : foundAt.size() * 2 > e.getValue().size()
                            ? Integer.toString(median(foundAt, e.getValue().size()))
                            : "> wall time";
            out.append("| ")
                    .append(key[0])
                    .append(key[2].equals("FIXED") ? " (fixed twin)" : "")
                    .append(" | ")
                    .append(key[1])
                    .append(" | ")
                    .append(String.join(" ", cells))
                    .append(" | ")
                    .append(foundAt.size())
                    .append('/')
                    .append(e.getValue().size())
                    .append(" | ")
                    .append(median)
                    .append(" | ")
                    .append(ms == 0 ? "—" : String.format(Locale.ROOT, "%.0f", runs * 1000.0 / ms))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The median of all campaigns, a campaign that found nothing counting as larger than any that did. */
    private static int median(List<Integer> sortedFound, int campaigns) {
        return sortedFound.get((campaigns - 1) / 2);
    }
}
