package org.ndis4j.testing;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.ndis4j.kernel.ExplorationStrategy;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;

/**
 * The iterations of a {@link DeterministicTest}: the master seed (the annotation's, the system
 * property's, or a fresh one), one seed per iteration derived from it, or a single replay of a
 * trace; the stream stops after the first failing iteration. On a method, an iteration is one run
 * of the method; on a class, one run of each of its tests.
 */
final class DeterministicRuns {

    static final String SEED = "ndis4j.det.seed";
    static final String ITERATIONS = "ndis4j.det.iterations";
    static final String STRATEGY = "ndis4j.det.strategy";
    static final String REPLAY = "ndis4j.det.replay";
    static final String MAX_STEPS = "ndis4j.det.maxSteps";
    /** Wall-clock seconds the run may take no scheduling step before a step fails as stuck. */
    static final String STUCK_SECONDS = "ndis4j.det.stuckSeconds";

    private DeterministicRuns() {}

    /** What the annotation and the system properties ask for, before any iteration. */
    record Plan(
            DeterministicTest spec,
            long masterSeed,
            ExplorationStrategy strategy,
            long maxSteps,
            Path replay,
            int iterations) {

        static Plan of(DeterministicTest spec, Replay replayAnnotation, String where) {
            String replay = System.getProperty(REPLAY);
            if (replay == null && replayAnnotation != null) {
                replay = replayAnnotation.value();
            }
            String seedText = System.getProperty(SEED, spec.seed());
            long master = seedText.isBlank() ? Simulation.freshSeed() : Simulation.parseSeed(seedText);
            int iterations = replay != null ? 1 : Integer.getInteger(ITERATIONS, spec.iterations());
            if (iterations < 1) {
                throw new IllegalArgumentException(where + ": iterations must be at least 1, not " + iterations);
            }
            return new Plan(
                    spec,
                    master,
                    DeterministicRuns.strategy(System.getProperty(STRATEGY), spec.strategy()),
                    Long.getLong(MAX_STEPS, spec.maxSteps()),
                    replay == null ? null : Path.of(replay),
                    iterations);
        }

        /** Iteration {@code i}'s run of {@code method} of {@code testClass}. */
        SimulationOptions options(Class<?> testClass, Method method, int i) {
            return new SimulationOptions(
                    testClass.getName() + "#" + method.getName(),
                    i,
                    masterSeed,
                    Simulation.iterationSeed(masterSeed, i),
                    strategy,
                    spec.granularity(),
                    maxSteps,
                    spec.hangs(),
                    replay,
                    Path.of("target", "ndis4j-det", testClass.getName() + "." + method.getName()),
                    Duration.ofSeconds(Long.getLong(STUCK_SECONDS, 30)));
        }

        String displayName(int i) {
            return replay != null
                    ? "replay " + replay
                    : "[" + (i + 1) + "] seed " + Simulation.seedText(Simulation.iterationSeed(masterSeed, i));
        }
    }

    /** The method's own annotation (a test template), if any. */
    static boolean isTemplate(ExtensionContext context) {
        return context.getTestMethod()
                .map(m -> m.isAnnotationPresent(DeterministicTest.class))
                .orElse(false);
    }

    /** The test class's annotation (a class template), if any. */
    static Optional<DeterministicTest> classSpec(ExtensionContext context) {
        return context.getTestClass().map(c -> c.getAnnotation(DeterministicTest.class));
    }

    /** True when the test runs deterministically: the method or its class carries the annotation. */
    static boolean isDeterministic(ExtensionContext context) {
        return isTemplate(context) || classSpec(context).isPresent();
    }

    static Stream<TestTemplateInvocationContext> iterations(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        Class<?> testClass = context.getRequiredTestClass();
        Plan plan = Plan.of(
                method.getAnnotation(DeterministicTest.class),
                method.getAnnotation(Replay.class),
                testClass.getName() + "#" + method.getName());
        AtomicBoolean failed = new AtomicBoolean();
        return IntStream.range(0, plan.iterations())
                .takeWhile(i -> !failed.get())
                .mapToObj(i -> new TestTemplateInvocationContext() {
                    @Override
                    public String getDisplayName(int invocationIndex) {
                        return plan.displayName(i);
                    }

                    @Override
                    public List<Extension> getAdditionalExtensions() {
                        return List.of(new DeterministicIteration(
                                plan.options(testClass, method, i), plan.iterations(), failed));
                    }
                });
    }

    static Stream<ClassTemplateInvocationContext> classIterations(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Plan plan = Plan.of(testClass.getAnnotation(DeterministicTest.class), null, testClass.getName());
        AtomicBoolean failed = new AtomicBoolean();
        return IntStream.range(0, plan.iterations())
                .takeWhile(i -> !failed.get())
                .mapToObj(i -> new ClassTemplateInvocationContext() {
                    @Override
                    public String getDisplayName(int invocationIndex) {
                        return plan.displayName(i);
                    }

                    @Override
                    public List<Extension> getAdditionalExtensions() {
                        return List.of(new DeterministicClassIteration(plan, i, failed));
                    }
                });
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
