package org.ndis4j.testing;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;

/**
 * One iteration of a {@link DeterministicTest}: starts the run, boots every {@code Kernel} parameter
 * on it, runs the test's methods on the run's test context, and at the end closes the kernels,
 * finishes the run and fails the test with the iteration, seed, trace and replay command.
 */
final class DeterministicIteration
        implements ParameterResolver, BeforeEachCallback, AfterEachCallback, InvocationInterceptor {

    private SimulationOptions options;
    private final int iterations;
    private final AtomicBoolean failedBefore;
    /** The longest schedule (choice steps) of the test's iterations so far: PCT's k for the next. */
    private final AtomicLong learned;

    private final List<Kernel> kernels = new ArrayList<>();
    private Simulation simulation;
    private boolean finished;

    DeterministicIteration(SimulationOptions options, int iterations, AtomicBoolean failedBefore, AtomicLong learned) {
        this.options = options;
        this.iterations = iterations;
        this.failedBefore = failedBefore;
        this.learned = learned;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        options = options.withStrategy(options.strategy().withLearnedChoiceSteps(learned.get()));
        simulation = Simulation.start(options);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Kernel.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        KernelConfig config = KernelExtension.configFor(context).withScheduling(KernelConfig.Scheduling.DETERMINISTIC);
        try {
            Kernel kernel = simulation.call(() -> Kernel.boot(config));
            kernels.add(kernel);
            return kernel;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void interceptBeforeEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        onTestContext(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        onTestContext(invocation);
    }

    @Override
    public void interceptAfterEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        onTestContext(invocation);
    }

    private void onTestContext(Invocation<Void> invocation) throws Throwable {
        try {
            simulation.call(() -> {
                try {
                    invocation.proceed();
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                return null;
            });
        } catch (Throwable t) {
            throw finishWith(t);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (finished) {
            return;
        }
        AssertionError failure = finishWith(null);
        String leak = NettyLeakCheck.checkAfterTest();
        if (failure != null) {
            throw failure;
        }
        if (leak != null) {
            throw new AssertionError(leak);
        }
    }

    /** Closes the kernels on the run, finishes it, and returns the test's failure (null: passed). */
    private AssertionError finishWith(Throwable bodyFailure) {
        finished = true;
        List<String> problems = new ArrayList<>();
        if (simulation.failure().isEmpty()) {
            for (int i = kernels.size() - 1; i >= 0; i--) {
                Kernel kernel = kernels.get(i);
                try {
                    simulation.call(() -> {
                        kernel.close();
                        return null;
                    });
                } catch (Throwable e) {
                    problems.add(kernel.name() + ": shutdown failed: " + e.getMessage());
                }
            }
        }
        for (Kernel kernel : kernels) {
            CrashReport report = kernel.crashReport().orElse(null);
            if (report != null && !kernel.isCrashAcknowledged()) {
                problems.add(kernel.name() + " bug-checked:\n" + report.toText());
            }
        }
        Throwable testFailure = bodyFailure;
        if (testFailure == null && !problems.isEmpty()) {
            testFailure = new AssertionError(String.join("\n", problems));
        }
        SimulationResult result = simulation.finish(testFailure);
        learned.accumulateAndGet(
                options.strategy().withLearnedChoiceSteps(0).learnedFrom(result).learnedChoiceSteps(), Math::max);
        if (result.passed()) {
            return null;
        }
        failedBefore.set(true);
        return new AssertionError(message(result, bodyFailure, problems), bodyFailure);
    }

    private String message(SimulationResult r, Throwable body, List<String> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                        options.replay() != null
                                ? "DeterministicTest failed replaying " + options.replay()
                                : "DeterministicTest failed in iteration " + (options.iteration() + 1) + " of "
                                        + iterations)
                .append(" (seed ")
                .append(hex(r.seed()))
                .append(", master seed ")
                .append(hex(options.masterSeed()))
                .append(", ")
                .append(options.strategy().token())
                .append(", ")
                .append(options.granularity())
                .append(", ")
                .append(r.steps())
                .append(" steps, ")
                .append(r.choiceSteps())
                .append(" choices, t=")
                .append(seconds(r.virtualNanos()))
                .append(" s):\n  ");
        String what = body == null ? r.failure() : body.getMessage() != null ? body.getMessage() : body.toString();
        sb.append(what == null ? String.join("\n", problems) : what.replace("\n", "\n  "));
        if (body != null && !problems.isEmpty()) {
            sb.append("\n  ").append(String.join("\n  ", problems));
        }
        if (r.trace() != null) {
            Path trace = r.trace().toAbsolutePath();
            sb.append("\n  trace:     ").append(trace);
            sb.append("\n  event log: ").append(r.eventLog().toAbsolutePath());
            sb.append("\n  replay:    ./mvnw -q -pl ")
                    .append(module())
                    .append(" -am verify -Dtest='")
                    .append(testName())
                    .append("' -Dsurefire.failIfNoSpecifiedTests=false -Dndis4j.det.replay=")
                    .append(trace);
        }
        sb.append("\n  or by seed: -Dndis4j.det.seed='")
                .append(options.seedToken())
                .append("' -Dndis4j.det.iterations=1");
        if (options.faultRate() > 0) {
            sb.append(" -Dndis4j.det.faults=true -Dndis4j.det.faultRate=").append(options.faultRate());
        }
        return sb.toString();
    }

    private String testName() {
        String t = options.test();
        int dot = t.lastIndexOf('.', t.indexOf('#') < 0 ? t.length() : t.indexOf('#'));
        return dot < 0 ? t : t.substring(dot + 1);
    }

    private static String module() {
        Path here = Path.of("").toAbsolutePath().getFileName();
        return here == null ? "." : here.toString();
    }

    private static String hex(long seed) {
        return "0x" + Long.toHexString(seed);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.7f", nanos / 1e9);
    }
}
