package org.ndis4j.kernel;

import java.util.ArrayList;
import java.util.List;
import org.ndis4j.kernel.internal.ContextAborted;
import org.ndis4j.kernel.internal.KernelThread;
import org.ndis4j.kernel.internal.QueueRole;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TaskQueue;

/**
 * The system worker threads of one work queue: PASSIVE_LEVEL threads that take routines in FIFO
 * order. A routine that returns holding a spin lock breaks the lock's rule ({@link HeldLock}); one
 * that returns at a raised IRQL is bug check WORKER_THREAD_RETURNED_AT_BAD_IRQL; one that throws is
 * SYSTEM_THREAD_EXCEPTION_NOT_HANDLED.
 */
final class WorkerPool {

    private final Kernel kernel;
    private final WorkQueueType type;
    private final TaskQueue queue;
    private final List<KernelThread> threads = new ArrayList<>();
    private volatile boolean stopping;

    WorkerPool(Kernel kernel, WorkQueueType type, int size, Scheduler scheduler) {
        this.kernel = kernel;
        this.type = type;
        this.queue = scheduler.newTaskQueue(type.name(), QueueRole.WORKERS);
        for (int i = 0; i < size; i++) {
            ThreadContext ctx = new ThreadContext(kernel, ThreadKind.WORKER, -1);
            threads.add(scheduler.startThread(kernel.name() + "-" + type + "-" + i, ctx, queue, this::loop));
        }
    }

    /** ExQueueWorkItem: runs {@code routine} at PASSIVE_LEVEL on one of this queue's threads. */
    void queue(String driver, Runnable routine) {
        queue.add(() -> run(driver, routine));
    }

    /** The same for a task that names its driver: nothing is allocated. */
    void queue(WorkerTask task) {
        queue.add(task);
    }

    void stop() {
        stopping = true;
        threads.forEach(Thread::interrupt);
    }

    /** The pool's threads (the kernel waits for them at close). */
    List<KernelThread> threads() {
        return threads;
    }

    private void loop() {
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
        kernel.statistics().workerRan(type, driver);
        try {
            routine.run();
            HeldLock held = ctx.firstHeldLock();
            if (held != null && !kernel.isCrashed()) {
                throw held.heldAtReturn("a work item routine");
            }
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
        } catch (ContextAborted aborted) {
            throw aborted; // the deterministic scheduler ends its run: not the driver's crash
        } catch (Throwable t) {
            kernel.unhandledException(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, t);
        } finally {
            ctx.forgetHeldLocks();
            ctx.setIrql(Irql.PASSIVE_LEVEL);
            ctx.leaveDriver(previous);
        }
    }
}
