package org.ndis4j.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.ndis4j.kernel.Exploration;
import org.ndis4j.kernel.SimulationResult;

/**
 * Schedules per second and per CPU-second of {@link DeterministicScheduleBenchmark}'s scenario: the
 * "per core" figure is runs divided by the process's CPU time (every thread of the JVM, the JIT and
 * GC included), so it does not depend on how many cores the host lends the run.
 *
 * Run it with {@code benchmarks/target/benchmarks.jar} as the class path and this class as the main
 * class; the command and the figures are in docs/performance.md ("Schedules per second").
 *
 * Arguments: the strategy token (default "random") and the seconds to measure (default 10), after
 * as long a warm-up.
 */
public final class DetBench {

    private DetBench() {}

    public static void main(String[] args) {
        Exploration strategy = Exploration.parse(args.length > 0 ? args[0] : "random");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long seed = 1;
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmEnd) {
            strategy = strategy.learnedFrom(DeterministicScheduleBenchmark.run(strategy, seed++));
        }
        long runs = 0;
        long steps = 0;
        long choices = 0;
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        long end = wall0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            SimulationResult r = DeterministicScheduleBenchmark.run(strategy, seed++);
            strategy = strategy.learnedFrom(r);
            runs++;
            steps += r.steps();
            choices += r.choiceSteps();
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%s: %d schedules in %.1f s wall, %.1f s CPU: %.0f schedules/s, %.0f schedules per CPU-second;"
                        + " %.0f steps and %.0f choice steps per schedule; %d live threads%n",
                strategy.token(),
                runs,
                wall,
                cpu,
                runs / wall,
                runs / cpu,
                steps / (double) runs,
                choices / (double) runs,
                Thread.activeCount());
    }
}
