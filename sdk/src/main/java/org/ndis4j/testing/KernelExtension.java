package org.ndis4j.testing;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;

/**
 * Gives a test method (or its {@code @BeforeEach} methods) a freshly booted {@link Kernel} per
 * {@code Kernel} parameter, runs the test so that it fails fast, and after the test shuts the
 * kernels down — removing every device and unloading every driver, so halt-time leak accounting
 * runs — and fails the test if a machine bug-checked (unless the test expected that crash through
 * {@link BugCheckAssertions}) or a Netty buffer leaked ({@link NettyLeakCheck}).
 *
 * <pre>
 *   &#64;ExtendWith(KernelExtension.class)
 *   class MyDriverTest {
 *       &#64;Test void initializes(Kernel kernel) { ... }
 *   }
 * </pre>
 *
 * <p>Failing fast: the test method and its {@code @BeforeEach}/{@code @AfterEach} methods run on a
 * thread of their own ("test-NAME"), watched from JUnit's thread ({@link TestSupervisor}):
 * <ul>
 *   <li>a bug check or verifier report on any thread — a processor, a worker, a device's thread, the
 *       test thread — fails the test at once with {@link BugCheckFailure} as its primary failure
 *       (the kit's waits throw it; any other wait is interrupted);</li>
 *   <li>a test that runs longer than its timeout (30 s; {@code @KernelOptions(timeout = "…")} or
 *       {@code -Dndis4j.test.timeout}) fails with {@link TestTimeoutFailure} and a dump of every
 *       kernel thread; the test thread is interrupted, the kernels closed, and the next test runs.</li>
 * </ul>
 * A {@link KernelOptions} annotation on the method or class changes processors, worker counts, the
 * DPC watchdog and the timeout.
 */
public final class KernelExtension
        implements ParameterResolver,
                BeforeEachCallback,
                AfterEachCallback,
                InvocationInterceptor,
                TestTemplateInvocationContextProvider,
                ClassTemplateInvocationContextProvider {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KernelExtension.class);

    /**
     * NDIS's watchdog in tests: a driver that never finishes a halt, pause, OID request or reset
     * stops the machine with 0x7C / 0x25 after this, well inside the test's timeout (the kernel's own
     * default, {@code KernelConfig.DEFAULT_NDIS_WATCHDOG}, is ten minutes).
     */
    public static final Duration NDIS_WATCHDOG = Duration.ofSeconds(5);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Kernel.class && !DeterministicRuns.isDeterministic(context);
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return DeterministicRuns.isTemplate(context);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return DeterministicRuns.iterations(context);
    }

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return DeterministicRuns.classSpec(context).isPresent();
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        return DeterministicRuns.classIterations(context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Kernel kernel = Kernel.boot(configFor(context));
        CrashWatch.watch(kernel);
        kernels(context).add(kernel);
        return kernel;
    }

    /** The kernel a test asks for: its name, allocation stacks on, and its {@link KernelOptions}. */
    static KernelConfig configFor(ExtensionContext context) {
        // Tests record allocation stacks: a leak or a use after free names where the object was made.
        KernelConfig config = KernelConfig.defaults()
                .withName(context.getRequiredTestMethod().getName())
                .withAllocationStacks(true)
                .withNdisWatchdog(NDIS_WATCHDOG);
        KernelOptions options = context.getRequiredTestMethod().getAnnotation(KernelOptions.class);
        if (options == null) {
            options = context.getRequiredTestClass().getAnnotation(KernelOptions.class);
        }
        if (options != null) {
            config = config.withProcessors(options.processors())
                    .withWorkers(options.criticalWorkers(), options.delayedWorkers());
            if (options.dpcTimeoutMillis() > 0) {
                Duration single = Duration.ofMillis(options.dpcTimeoutMillis());
                config = config.withDpcWatchdog(
                        single,
                        single.compareTo(config.dpcWatchdogLimit()) > 0
                                ? single.multipliedBy(2)
                                : config.dpcWatchdogLimit());
            }
            if (options.ndisWatchdogMillis() > 0) {
                config = config.withNdisWatchdog(Duration.ofMillis(options.ndisWatchdogMillis()));
            }
        }
        return config;
    }

    /** The test thread starts at PASSIVE_LEVEL with no kernel, whatever an earlier test left. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (DeterministicRuns.isDeterministic(context)) {
            return; // the iteration's own extension runs it
        }
        CurrentThread.resetExternal();
    }

    @Override
    public void interceptBeforeEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        supervise(invocation, method, context);
    }

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        supervise(invocation, method, context);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        supervise(invocation, method, context);
    }

    @Override
    public void interceptAfterEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        supervise(invocation, method, context);
    }

    private static void supervise(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        if (DeterministicRuns.isDeterministic(context)) {
            invocation.proceed(); // the iteration's interceptor runs it on the run's test context
            return;
        }
        String test = context.getRequiredTestClass().getSimpleName() + "."
                + method.getExecutable().getName();
        new TestSupervisor(test, kernels(context), TestTimeout.of(context))
                .run(invocation, "test-" + method.getExecutable().getName());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (DeterministicRuns.isDeterministic(context)) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (Kernel kernel : kernels(context)) {
            try {
                if (!TestSupervisor.closeLeftBehind(kernel)) {
                    kernel.close();
                }
            } catch (RuntimeException e) {
                failures.add(kernel.name() + ": shutdown failed: " + e);
            }
            CrashReport report = kernel.crashReport().orElse(null);
            if (report != null && !kernel.isCrashAcknowledged() && !CrashWatch.isReported(kernel)) {
                failures.add(kernel.name() + " bug-checked:\n" + report.toText());
            }
            CrashWatch.forget(kernel);
        }
        kernels(context).clear();
        CurrentThread.resetExternal();
        String leak = NettyLeakCheck.checkAfterTest();
        if (leak != null) {
            failures.add(leak);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n", failures));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Kernel> kernels(ExtensionContext context) {
        return (List<Kernel>)
                context.getStore(NS).getOrComputeIfAbsent("kernels", k -> new CopyOnWriteArrayList<Kernel>());
    }
}
