package org.ndis4j.testing;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.ndis4j.kernel.Exploration;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;

/**
 * The iterations of a {@link DeterministicTest}: the master seed (the annotation's, the system
 * property's, or a fresh one), one seed per iteration derived from it, or a single replay of a
 * trace; the stream stops after the first failing iteration.
 */
final class DeterministicRuns {

    static final String SEED = "ndis4j.det.seed";
    static final String ITERATIONS = "ndis4j.det.iterations";
    static final String STRATEGY = "ndis4j.det.strategy";
    static final String REPLAY = "ndis4j.det.replay";
    static final String MAX_STEPS = "ndis4j.det.maxSteps";
    static final String FAULTS = "ndis4j.det.faults";
    static final String FAULT_RATE = "ndis4j.det.faultRate";

    private DeterministicRuns() {}

    static boolean isDeterministic(ExtensionContext context) {
        return context.getTestMethod()
                .map(m -> m.isAnnotationPresent(DeterministicTest.class))
                .orElse(false);
    }

    static Stream<TestTemplateInvocationContext> iterations(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        DeterministicTest spec = method.getAnnotation(DeterministicTest.class);
        String test = context.getRequiredTestClass().getName() + "#" + method.getName();
        Path traces =
                Path.of("target", "ndis4j-det", context.getRequiredTestClass().getName() + "." + method.getName());
        Exploration strategy = strategy(System.getProperty(STRATEGY), spec);
        long maxSteps = Long.getLong(MAX_STEPS, spec.maxSteps());
        String replay = System.getProperty(REPLAY);
        Replay replayAnnotation = method.getAnnotation(Replay.class);
        if (replay == null && replayAnnotation != null) {
            replay = replayAnnotation.value();
        }
        String seedText = System.getProperty(SEED, spec.seed());
        long master = seedText.isBlank() ? Simulation.freshSeed() : Simulation.parseSeed(seedText);
        int slash = seedText.lastIndexOf('/');
        if (slash > 0) {
            strategy = Exploration.parse(seedText.substring(0, slash)); // a failure's token: its strategy and k
        }
        boolean faults = Boolean.parseBoolean(System.getProperty(FAULTS, String.valueOf(spec.faults())));
        double faultRate = faults ? faultRate(System.getProperty(FAULT_RATE)) : 0;
        int iterations = replay != null ? 1 : Integer.getInteger(ITERATIONS, spec.iterations());
        if (iterations < 1) {
            throw new IllegalArgumentException(test + ": iterations must be at least 1, not " + iterations);
        }
        SimulationOptions base = new SimulationOptions(
                test,
                0,
                master,
                master,
                strategy,
                spec.granularity(),
                maxSteps,
                spec.hangs(),
                replay == null ? null : Path.of(replay),
                traces,
                Duration.ofSeconds(60),
                faultRate);
        AtomicBoolean failed = new AtomicBoolean();
        AtomicLong learned = new AtomicLong(strategy.learnedChoiceSteps());
        return IntStream.range(0, iterations)
                .takeWhile(i -> !failed.get())
                .mapToObj(i -> invocation(base, i, iterations, failed, learned));
    }

    private static TestTemplateInvocationContext invocation(
            SimulationOptions base, int i, int iterations, AtomicBoolean failed, AtomicLong learned) {
        long seed = Simulation.iterationSeed(base.masterSeed(), i);
        SimulationOptions options = base.withIteration(i, base.masterSeed()).withSeed(seed);
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return base.replay() != null
                        ? "replay " + base.replay()
                        : "[" + (i + 1) + "] seed " + Simulation.seedText(seed);
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new DeterministicIteration(options, iterations, failed, learned));
            }
        };
    }

    private static Exploration strategy(String property, DeterministicTest spec) {
        if (property == null || property.isBlank()) {
            return Exploration.of(spec.strategy(), spec.depth(), spec.bias());
        }
        try {
            return Exploration.parse(property);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(STRATEGY + "=" + property + ": " + e.getMessage());
        }
    }

    private static double faultRate(String property) {
        if (property == null || property.isBlank()) {
            return SimulationOptions.DEFAULT_FAULT_RATE;
        }
        try {
            double rate = Double.parseDouble(property.trim());
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new IllegalArgumentException(FAULT_RATE + "=" + property + ": a probability in [0, 1], like 0.05");
    }
}
