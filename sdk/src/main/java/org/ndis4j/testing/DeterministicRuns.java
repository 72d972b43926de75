package org.ndis4j.testing;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.ndis4j.kernel.Exploration;
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
    static final String FAULTS = "ndis4j.det.faults";
    static final String FAULT_RATE = "ndis4j.det.faultRate";
    /** Wall-clock seconds the run may take no scheduling step before a step fails as stuck. */
    static final String STUCK_SECONDS = "ndis4j.det.stuckSeconds";

    private DeterministicRuns() {}

    /**
     * What the annotation and the system properties ask for, before any iteration; {@code learned}
     * carries a depth-bounded strategy's step count from one iteration to the next.
     */
    record Plan(
            DeterministicTest spec,
            long masterSeed,
            Exploration strategy,
            long maxSteps,
            Path replay,
            int iterations,
            double faultRate,
            AtomicLong learned) {

        static Plan of(DeterministicTest spec, Replay replayAnnotation, String where) {
            Exploration strategy = DeterministicRuns.strategy(System.getProperty(STRATEGY), spec);
            String replay = System.getProperty(REPLAY);
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
            double faultRate = faults ? DeterministicRuns.faultRate(System.getProperty(FAULT_RATE)) : 0;
            int iterations = replay != null ? 1 : Integer.getInteger(ITERATIONS, spec.iterations());
            if (iterations < 1) {
                throw new IllegalArgumentException(where + ": iterations must be at least 1, not " + iterations);
            }
            return new Plan(
                    spec,
                    master,
                    strategy,
                    Long.getLong(MAX_STEPS, spec.maxSteps()),
                    replay == null ? null : Path.of(replay),
                    iterations,
                    faultRate,
                    new AtomicLong(strategy.learnedChoiceSteps()));
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
                    Duration.ofSeconds(Long.getLong(STUCK_SECONDS, 30)),
                    faultRate);
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
                                plan.options(testClass, method, i), plan.iterations(), failed, plan.learned()));
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
