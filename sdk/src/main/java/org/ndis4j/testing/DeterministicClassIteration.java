package org.ndis4j.testing;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * One iteration of a class-level {@link DeterministicTest}: every test of the class gets a run of its
 * own ({@link DeterministicIteration}) with the iteration's seed, made before its
 * {@code @BeforeEach} methods and finished after its {@code @AfterEach} methods.
 */
final class DeterministicClassIteration
        implements ParameterResolver, BeforeEachCallback, AfterEachCallback, InvocationInterceptor {

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(DeterministicClassIteration.class);

    private final DeterministicRuns.Plan plan;
    private final int iteration;
    private final AtomicBoolean failed;

    DeterministicClassIteration(DeterministicRuns.Plan plan, int iteration, AtomicBoolean failed) {
        this.plan = plan;
        this.iteration = iteration;
        this.failed = failed;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        requireNoMethodAnnotation(context);
        DeterministicIteration run = new DeterministicIteration(
                plan.options(context.getRequiredTestClass(), context.getRequiredTestMethod(), iteration),
                plan.iterations(),
                failed,
                plan.learned()); // shared by the class's tests: a depth-bounded strategy learns the longest
        context.getStore(NS).put(DeterministicIteration.class, run);
        run.beforeEach(context);
    }

    private static void requireNoMethodAnnotation(ExtensionContext context) {
        if (DeterministicRuns.isTemplate(context)) {
            throw new IllegalStateException(context.getRequiredTestMethod() + " carries @DeterministicTest inside a"
                    + " class that carries it too: put it on the class or on its methods, not both");
        }
    }

    private static DeterministicIteration run(ExtensionContext context) {
        return context.getStore(NS).get(DeterministicIteration.class, DeterministicIteration.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getTestMethod().isPresent()
                && run(context) != null
                && run(context).supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return run(context).resolveParameter(parameter, context);
    }

    @Override
    public void interceptBeforeEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        run(context).interceptBeforeEachMethod(invocation, method, context);
    }

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        run(context).interceptTestMethod(invocation, method, context);
    }

    @Override
    public void interceptAfterEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        run(context).interceptAfterEachMethod(invocation, method, context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        DeterministicIteration run = run(context);
        if (run != null) {
            run.afterEach(context);
        }
    }
}
