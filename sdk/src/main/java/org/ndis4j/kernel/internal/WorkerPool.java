package org.ndis4j.kernel.internal;

import java.util.ArrayList;
import java.util.List;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WorkQueueType;

/**
 * The system worker threads of one work queue: PASSIVE_LEVEL threads that take routines in FIFO
 * order. A routine that returns at a raised IRQL is bug check WORKER_THREAD_RETURNED_AT_BAD_IRQL;
 * one that throws is SYSTEM_THREAD_EXCEPTION_NOT_HANDLED.
 */
public final class WorkerPool {

    private final Kernel kernel;
    private final WorkQueueType type;
    private final TaskQueue queue;
    private final List<KernelThread> threads = new ArrayList<>();
    private volatile boolean stopping;

    public WorkerPool(Kernel kernel, WorkQueueType type, int size, Scheduler scheduler) {
        this.kernel = kernel;
        this.type = type;
        this.queue = scheduler.newTaskQueue();
        for (int i = 0; i < size; i++) {
            ThreadContext ctx = new ThreadContext(kernel, ThreadContext.Kind.WORKER, -1);
            threads.add(scheduler.startThread(kernel.name() + "-" + type + "-" + i, ctx, () -> loop(ctx)));
        }
    }

    public WorkQueueType type() {
        return type;
    }

    /** ExQueueWorkItem: runs {@code routine} at PASSIVE_LEVEL on one of this queue's threads. */
    public void queue(String driver, Runnable routine) {
        queue.add(() -> run(driver, routine));
    }

    /** The same for a task that names its driver: nothing is allocated. */
    public void queue(WorkerTask task) {
        queue.add(task);
    }

    public void stop() {
        stopping = true;
        threads.forEach(Thread::interrupt);
    }

    /** Waits up to {@code millis} for the threads to end; true when they all did. */
    public boolean join(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        for (KernelThread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private void loop(ThreadContext ctx) {
        while (!stopping) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                continue; // only stop() ends a worker; a routine's stray interrupt does not
            }
            if (!kernel.isCrashed()) {
                if (task instanceof WorkerTask carried) {
                    run(carried.driver(), carried);
                } else {
                    task.run();
                }
            }
            Thread.interrupted(); // a routine's interrupt must not leak into the next one
        }
    }

    private void run(String driver, Runnable routine) {
        ThreadContext ctx = ThreadContext.current();
        String previous = ctx.enterDriver(driver);
        try {
            routine.run();
            if (ctx.irql() != Irql.PASSIVE_LEVEL && !kernel.isCrashed()) {
                throw kernel.bugCheck(
                        BugCheckCode.WORKER_THREAD_RETURNED_AT_BAD_IRQL,
                        0,
                        ctx.irql().level(),
                        0,
                        0,
                        null,
                        "a worker routine returned at " + ctx.irql() + "; it must return at PASSIVE_LEVEL");
            }
        } catch (BugCheckException stopped) {
            // Recorded already.
        } catch (Throwable t) {
            kernel.unhandledException(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, t);
        } finally {
            ctx.setIrql(Irql.PASSIVE_LEVEL);
            ctx.leaveDriver(previous);
        }
    }
}
