package org.ndis4j.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ndis4j.kernel.internal.KernelThread;

/**
 * What the kernel knows about one thread, for a thread dump (a test that timed out, a hang): what
 * kind of thread it is, its processor, its IRQL and the driver whose code it runs. It is read from
 * another thread without stopping the one it describes, so it tells what was true a moment ago.
 *
 * @param thread    the thread
 * @param kind      processor, system worker, clock, or external (a test, a tool's main thread)
 * @param processor the processor number, or -1 when the thread is not a processor
 * @param irql      its current IRQL
 * @param driver    the driver whose code it runs now, or null
 */
public record ThreadSnapshot(Thread thread, ThreadKind kind, int processor, Irql irql, String driver) {

    /**
     * Every live thread {@code kernel} made (processors, system workers, the clock), and every other
     * thread that runs one of its processors now (an interrupt it raised: docs/kernel.md), by name.
     */
    public static List<ThreadSnapshot> of(Kernel kernel) {
        List<ThreadSnapshot> threads = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            ThreadContext c = ThreadContext.of(t);
            boolean ours = c != null && (t instanceof KernelThread || c.kind() == ThreadKind.PROCESSOR);
            if (ours && c.kernel() == kernel) {
                threads.add(of(t, c));
            }
        }
        threads.sort(Comparator.comparing(s -> s.thread().getName()));
        return threads;
    }

    /**
     * Any thread: a kernel thread as above; another thread as the processor it runs now, if it runs
     * one, else as external, at the IRQL it last set (PASSIVE_LEVEL when it never called into a kernel).
     */
    public static ThreadSnapshot of(Thread thread) {
        ThreadContext c = ThreadContext.of(thread);
        return c == null
                ? new ThreadSnapshot(thread, ThreadKind.EXTERNAL, -1, Irql.PASSIVE_LEVEL, null)
                : of(thread, c);
    }

    private static ThreadSnapshot of(Thread thread, ThreadContext c) {
        return new ThreadSnapshot(thread, c.kind(), c.processorNumber(), c.irql(), c.driver());
    }
}
