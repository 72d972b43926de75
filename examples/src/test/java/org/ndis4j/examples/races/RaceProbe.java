package org.ndis4j.examples.races;

import java.util.Optional;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;

class RaceProbe {
    public static void main(String[] args) {
        Race race = Race.of(args[0]);
        Variant v = Variant.valueOf(args[1]);
        int n = Integer.parseInt(args[2]);
        int found = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long seed = Simulation.iterationSeed(42, i);
            Optional<Failure> f = RaceRuns.deterministic(
                    race, v, SimulationOptions.seed("probe", seed).withIteration(i, 42));
            if (f.isPresent()) {
                found++;
                if (found <= 2)
                    System.out.println("iteration " + i + ": " + f.get().kind() + " "
                            + f.get().summary() + "\n"
                            + f.get().text().lines().limit(15).reduce("", (a, b) -> a + "\n" + b));
            }
        }
        System.out.printf(
                "%s %s: %d/%d failed, %.1f ms/schedule%n", race, v, found, n, (System.nanoTime() - t0) / 1e6 / n);
        int tf = 0;
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Optional<Failure> f = RaceRuns.threaded(race, v);
            if (f.isPresent()) {
                tf++;
                if (tf <= 1)
                    System.out.println("threaded: " + f.get().summary() + "\n"
                            + f.get().text().lines().limit(10).reduce("", (a, b) -> a + "\n" + b));
            }
        }
        System.out.printf(
                "threaded %s %s: %d/%d failed, %.1f ms/run%n", race, v, tf, n, (System.nanoTime() - t0) / 1e6 / n);
        System.exit(0);
    }
}
