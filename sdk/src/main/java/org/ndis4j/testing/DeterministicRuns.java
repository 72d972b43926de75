package org.ndis4j.testing;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.ndis4j.kernel.ExplorationStrategy;
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
        ExplorationStrategy strategy = strategy(System.getProperty(STRATEGY), spec.strategy());
        long maxSteps = Long.getLong(MAX_STEPS, spec.maxSteps());
        String replay = System.getProperty(REPLAY);
        Replay replayAnnotation = method.getAnnotation(Replay.class);
        if (replay == null && replayAnnotation != null) {
            replay = replayAnnotation.value();
        }
        String seedText = System.getProperty(SEED, spec.seed());
        long master = seedText.isBlank() ? Simulation.freshSeed() : Simulation.parseSeed(seedText);
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
                Duration.ofSeconds(60));
        AtomicBoolean failed = new AtomicBoolean();
        return IntStream.range(0, iterations)
                .takeWhile(i -> !failed.get())
                .mapToObj(i -> invocation(base, i, iterations, failed));
    }

    private static TestTemplateInvocationContext invocation(
            SimulationOptions base, int i, int iterations, AtomicBoolean failed) {
        long seed = Simulation.iterationSeed(base.masterSeed(), i);
        SimulationOptions options = new SimulationOptions(
                base.test(),
                i,
                base.masterSeed(),
                seed,
                base.strategy(),
                base.granularity(),
                base.maxSteps(),
                base.hangs(),
                base.replay(),
                base.traceDirectory(),
                base.stepTimeout());
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return base.replay() != null
                        ? "replay " + base.replay()
                        : "[" + (i + 1) + "] seed " + Simulation.seedText(seed);
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new DeterministicIteration(options, iterations, failed));
            }
        };
    }

    private static ExplorationStrategy strategy(String property, ExplorationStrategy declared) {
        if (property == null || property.isBlank()) {
            return declared;
        }
        String name = property.trim().toUpperCase(Locale.ROOT);
        for (ExplorationStrategy s : ExplorationStrategy.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(STRATEGY + "=" + property + ": no such strategy (known: "
                + List.of(ExplorationStrategy.values()) + ")");
    }
}
