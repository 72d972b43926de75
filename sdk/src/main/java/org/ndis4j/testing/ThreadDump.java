package org.ndis4j.testing;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.ThreadKind;
import org.ndis4j.kernel.ThreadSnapshot;

/**
 * A thread dump of a test's machine, as text: the test thread, then every thread of each kernel
 * (processors, system workers, the clock that fires timers), each with its kind, IRQL, the driver
 * it runs, what it waits for — a kernel object where the stack shows one (an NDIS event, a spin lock,
 * a sleep, its work queue), else the Java lock or condition and who holds it — and its stack.
 *
 * <pre>
 *   "test-linkComesUp" external, IRQL PASSIVE_LEVEL (0), WAITING
 *       waits for: an NDIS event (NdisWaitEvent) — java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@5e9f
 *         at java.base/jdk.internal.misc.Unsafe.park(Native Method)
 *         ...
 * </pre>
 */
final class ThreadDump {

    /** Stack frames printed per thread; the rest are counted. */
    static final int MAX_FRAMES = 40;

    private ThreadDump() {}

    /** The dump of {@code testThread} (may be null) and every thread of {@code kernels}. */
    static String of(Thread testThread, List<Kernel> kernels) {
        ThreadMXBean jvm = ManagementFactory.getThreadMXBean();
        StringBuilder out = new StringBuilder();
        if (testThread != null) {
            out.append("The test thread:\n");
            append(out, ThreadSnapshot.of(testThread), jvm);
        }
        for (Kernel kernel : kernels) {
            List<ThreadSnapshot> threads = ThreadSnapshot.of(kernel);
            out.append("Kernel ").append(kernel.name());
            if (kernel.isCrashed()) {
                out.append(" (crashed: ")
                        .append(kernel.crashReport().orElseThrow().headline())
                        .append(')');
            }
            out.append(", ").append(threads.size()).append(" threads:\n");
            for (ThreadSnapshot t : threads) {
                append(out, t, jvm);
            }
        }
        return out.toString();
    }

    private static void append(StringBuilder out, ThreadSnapshot t, ThreadMXBean jvm) {
        Thread thread = t.thread();
        ThreadInfo info = jvm.getThreadInfo(new long[] {thread.getId()}, true, true)[0];
        StackTraceElement[] stack = info != null ? info.getStackTrace() : thread.getStackTrace();
        out.append("  \"").append(thread.getName()).append("\" ").append(kind(t));
        out.append(", IRQL ")
                .append(t.irql())
                .append(" (")
                .append(t.irql().level())
                .append(')');
        if (t.driver() != null) {
            out.append(", running driver ").append(t.driver());
        }
        out.append(", ")
                .append(info != null ? info.getThreadState() : thread.getState())
                .append('\n');
        String waitsFor = waitsFor(t.kind(), stack, info);
        if (waitsFor != null) {
            out.append("      waits for: ").append(waitsFor).append('\n');
        }
        int shown = Math.min(stack.length, MAX_FRAMES);
        for (int i = 0; i < shown; i++) {
            out.append("        at ").append(format(stack[i])).append('\n');
        }
        if (stack.length > shown) {
            out.append("        ... ").append(stack.length - shown).append(" more\n");
        }
    }

    /** As a Throwable prints a frame: the module without its version, no class loader. */
    static String format(StackTraceElement f) {
        StringBuilder b = new StringBuilder();
        if (f.getModuleName() != null) {
            b.append(f.getModuleName()).append('/');
        }
        b.append(f.getClassName()).append('.').append(f.getMethodName()).append('(');
        if (f.isNativeMethod()) {
            b.append("Native Method");
        } else if (f.getFileName() == null) {
            b.append("Unknown Source");
        } else {
            b.append(f.getFileName());
            if (f.getLineNumber() >= 0) {
                b.append(':').append(f.getLineNumber());
            }
        }
        return b.append(')').toString();
    }

    private static String kind(ThreadSnapshot t) {
        return switch (t.kind()) {
            case PROCESSOR -> "processor " + t.processor();
            case WORKER -> "system worker";
            case CLOCK -> "clock (timers)";
            case EXTERNAL -> "external";
        };
    }

    /**
     * What the thread waits for: the kernel object its stack shows, else the Java lock or condition
     * the JVM reports; and who holds that lock, when the JVM knows. Null for a thread that runs.
     */
    static String waitsFor(ThreadKind kind, StackTraceElement[] stack, ThreadInfo info) {
        String object = kernelObject(kind, stack);
        LockInfo lock = info == null ? null : info.getLockInfo();
        String owner = info == null ? null : info.getLockOwnerName();
        if (object == null && lock != null) {
            object = lock.getClassName() + "@" + Integer.toHexString(lock.getIdentityHashCode());
        }
        if (object != null && owner != null) {
            object += ", held by \"" + owner + "\"";
        }
        return object;
    }

    /** The kernel-level wait the stack shows, innermost first; null when none is recognised. */
    private static String kernelObject(ThreadKind kind, StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            String m = f.getMethodName();
            if (c.endsWith(".LifoWakeTaskQueue") && m.equals("take")) {
                return kind == ThreadKind.PROCESSOR
                        ? "nothing: idle, no ISR or DPC queued"
                        : "nothing: idle, no work item queued";
            }
            if (c.endsWith("ScheduledThreadPoolExecutor$DelayedWorkQueue")) {
                return "the next timer expiry";
            }
            if (c.equals("org.ndis4j.ndis.Ndis") && m.equals("waitEvent")) {
                return "an NDIS event (NdisWaitEvent)";
            }
            if (c.equals("org.ndis4j.ndis.NdisM") && m.equals("sleep")) {
                return "the end of NdisMSleep";
            }
            if (c.equals("org.ndis4j.kernel.KEvent") && m.equals("await")) {
                return describeKEventWait(stack);
            }
            if (c.endsWith(".SpinLock")) {
                return "a spin lock (" + m + ")";
            }
            if (c.endsWith(".MiniportAdapter") && m.equals("halt")) {
                return "the adapter's work items to finish (halt)";
            }
            if (c.endsWith(".PlugAndPlay") && m.equals("onSystemThread")) {
                return "a PnP operation on a system worker thread";
            }
            if (c.equals("org.ndis4j.host.NdisOidClient")) {
                return "an OID request to complete";
            }
            if (c.equals(Await.class.getName())) {
                return "an await of the test kit";
            }
            if ((c.startsWith("sun.nio.ch.") && m.startsWith("read")) || c.equals("java.net.SocketInputStream")) {
                return "a socket read";
            }
            if (c.startsWith("sun.nio.ch.") && m.startsWith("accept")) {
                return "a socket accept";
            }
        }
        return null;
    }

    /** The waits the kernel and NDIS make on kernel events (Kernel.waitFor), by the frame that waits. */
    private static String knownKernelWait(String c, String m) {
        if (c.equals("org.ndis4j.ndis.Ndis") && m.equals("waitEvent")) {
            return "an NDIS event (NdisWaitEvent)";
        }
        if (c.endsWith(".PlugAndPlay") && m.equals("onSystemThread")) {
            return "a PnP operation on a system worker thread";
        }
        if (c.endsWith(".MiniportAdapter") && m.equals("awaitWorkItems")) {
            return "the adapter's work items to finish (halt)";
        }
        if (c.endsWith(".MiniportAdapter") && m.equals("awaitCompletion")) {
            return "NdisMPauseComplete or NdisMRestartComplete (the miniport returned NDIS_STATUS_PENDING)";
        }
        if (c.endsWith(".LoadedDriver") && m.equals("awaitWorkItems")) {
            return "the driver's work items to finish (unload)";
        }
        if (c.endsWith(".OidBroker") && m.equals("beforeHalt")) {
            return "the OID request the miniport holds (halt)";
        }
        if (c.endsWith(".Interrupt") && m.equals("deregister")) {
            return "the interrupt's ISRs and DPCs (NdisMDeregisterInterruptEx)";
        }
        if (c.endsWith(".MiniportReset") && m.equals("stop")) {
            return "check-for-hang or a reset of the adapter to end";
        }
        if (c.equals("org.ndis4j.host.NdisOidClient")) {
            return "an OID request to complete";
        }
        return null;
    }

    private static String describeKEventWait(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String known = knownKernelWait(f.getClassName(), f.getMethodName());
            if (known != null) {
                return known;
            }
        }
        for (StackTraceElement f : stack) {
            if (f.getClassName().startsWith("org.ndis4j.") && !f.getClassName().startsWith("org.ndis4j.kernel.")) {
                return "a kernel event (KEVENT), waited on by " + f.getClassName() + "." + f.getMethodName();
            }
        }
        return "a kernel event (KEVENT)";
    }
}
