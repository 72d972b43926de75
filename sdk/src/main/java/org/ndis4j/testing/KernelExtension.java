package org.ndis4j.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;

/**
 * Gives a test method (or constructor) a freshly booted {@link Kernel} per {@code Kernel}
 * parameter, and after the test shuts it down — removing every device and unloading every driver,
 * so halt-time leak accounting runs — and fails the test if the machine bug-checked at any point,
 * unless the test expected that crash through {@link BugCheckAssertions}, or if a Netty buffer was
 * leaked ({@link NettyLeakCheck}).
 *
 * <pre>
 *   &#64;ExtendWith(KernelExtension.class)
 *   class MyDriverTest {
 *       &#64;Test void initializes(Kernel kernel) { ... }
 *   }
 * </pre>
 * A {@link KernelOptions} annotation on the method or class changes processors and worker counts.
 */
public final class KernelExtension implements ParameterResolver, BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KernelExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Kernel.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // Tests record allocation stacks: a leak or a use after free names where the object was made.
        KernelConfig config = KernelConfig.defaults()
                .withName(context.getRequiredTestMethod().getName())
                .withAllocationStacks(true);
        KernelOptions options = context.getRequiredTestMethod().getAnnotation(KernelOptions.class);
        if (options == null) {
            options = context.getRequiredTestClass().getAnnotation(KernelOptions.class);
        }
        if (options != null) {
            config = config.withProcessors(options.processors())
                    .withWorkers(options.criticalWorkers(), options.delayedWorkers());
            if (options.dpcTimeoutMillis() > 0) {
                java.time.Duration single = java.time.Duration.ofMillis(options.dpcTimeoutMillis());
                config = config.withDpcWatchdog(
                        single,
                        single.compareTo(config.dpcWatchdogLimit()) > 0
                                ? single.multipliedBy(2)
                                : config.dpcWatchdogLimit());
            }
        }
        Kernel kernel = Kernel.boot(config);
        kernels(context).add(kernel);
        return kernel;
    }

    /** The test thread starts at PASSIVE_LEVEL with no kernel, whatever an earlier test left. */
    @Override
    public void beforeEach(ExtensionContext context) {
        CurrentThread.resetExternal();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> failures = new ArrayList<>();
        for (Kernel kernel : kernels(context)) {
            try {
                kernel.close();
            } catch (RuntimeException e) {
                failures.add(kernel.name() + ": shutdown failed: " + e);
            }
            CrashReport report = kernel.crashReport().orElse(null);
            if (report != null && !kernel.isCrashAcknowledged()) {
                failures.add(kernel.name() + " bug-checked:\n" + report.toText());
            }
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
        return (List<Kernel>) context.getStore(NS).getOrComputeIfAbsent("kernels", k -> new ArrayList<Kernel>());
    }
}
