package org.ndis4j.kernel;

import org.ndis4j.kernel.internal.ContextAborted;
import org.ndis4j.kernel.internal.KernelThread;
import org.ndis4j.kernel.internal.ProcessorOwnership;
import org.ndis4j.kernel.internal.QueueRole;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TaskQueue;
import org.ndis4j.kernel.internal.WatchdogInterrupt;

/**
 * A simulated processor: one thread that runs interrupt service routines at DIRQL and drains its
 * DPC queue at DISPATCH_LEVEL. Interrupt requests go to the front of the queue, so an ISR runs
 * before any DPC still waiting (a running DPC is not preempted: see docs/kernel.md).
 *
 * <p>Under the threaded scheduler a thread from outside the kernel that raises an interrupt while
 * the processor is idle runs it in the processor's place ({@link #runOnRaisingThread}): it takes the
 * processor's {@link ProcessorOwnership}, which the processor's own thread takes too before each
 * routine, runs the ISR and every task queued meanwhile with this processor's context, and gives it
 * back. Tasks its own routines queue here wake nobody.
 */
final class Processor {

    /** IRQL_UNEXPECTED_VALUE's UniqueValue for an interrupt service routine (as Windows reports one). */
    static final int UNIQUE_ISR = 3;
    /** IRQL_UNEXPECTED_VALUE's UniqueValue for a DPC: ndis4j's own (Windows documents only APC values). */
    static final int UNIQUE_DPC = 0xD;

    private final Kernel kernel;
    private final int number;
    private final TaskQueue queue;
    private final ThreadContext context;
    /** Who runs this processor's routines now: taken before each one, by its thread or a raising thread. */
    private final ProcessorOwnership ownership = new ProcessorOwnership();

    private KernelThread thread;
    private volatile boolean stopping;
    private final WatchdogInterrupt watchdogInterrupt = new WatchdogInterrupt();

    /**
     * "No routine running" / "not elevated": a time no clock gives (the deterministic clock starts at
     * 0, and System.nanoTime may be anything).
     */
    static final long NONE = Long.MIN_VALUE;

    /** Kernel clock when the current ISR or DPC started, NONE when idle; read by the DPC watchdog. */
    private volatile long routineStart = NONE;
    /** Kernel clock when the processor last rose to DISPATCH_LEVEL from idle, NONE when idle. */
    private volatile long elevatedSince = NONE;
    /** What runs now, for the watchdog's report. */
    private volatile String routineDriver;
    /** The IRQL of what runs now (DIRQL for an ISR), for the watchdog's report; null when idle. */
    private volatile Irql routineIrql;

    Processor(Kernel kernel, int number, Scheduler scheduler) {
        this.kernel = kernel;
        this.number = number;
        this.queue = scheduler.newTaskQueue("cpu" + number, QueueRole.PROCESSOR);
        this.context = new ThreadContext(kernel, ThreadKind.PROCESSOR, number);
        context.ownedBy(this);
    }

    void start(Scheduler scheduler) {
        thread = scheduler.startThread(kernel.name() + "-cpu" + number, context, queue, this::loop);
    }

    int number() {
        return number;
    }

    KernelThread thread() {
        return thread;
    }

    /**
     * The thread running this processor's routine now: a raising thread that runs it in the
     * processor's place, else the processor's own thread (for the DPC watchdog's report).
     */
    Thread runner() {
        Thread owner = ownership.owner();
        return owner == null ? thread : owner;
    }

    /**
     * Queues a task that carries its IRQL and driver (nothing is allocated); an interrupt (above
     * DISPATCH_LEVEL) goes before the DPCs already waiting.
     */
    void queue(ProcessorTask task) {
        enqueue(task.irql(), task);
    }

    private void enqueue(Irql irql, Runnable task) {
        boolean interrupt = irql.above(Irql.DISPATCH_LEVEL);
        if (ownership.isOwnedByCurrentThread()) {
            queue.addWithoutWake(task, interrupt); // the caller runs this processor: it drains the queue itself
        } else if (interrupt) {
            queue.addFirst(task);
        } else {
            queue.add(task);
        }
    }

    /**
     * An interrupt raised by a thread from outside the kernel ({@code caller}, its context), run on
     * that thread as this processor if the processor is idle: nothing running, nothing queued. Then the
     * caller takes the processor's ownership, runs {@code isr} with this processor's context (IRQL,
     * locks, driver, number, the watchdog's routine start), then every task queued here meanwhile (the
     * ISR's DPC among them) without blocking, and gives the processor back. False, with nothing run,
     * when the processor is busy or stopping: the caller queues the interrupt instead.
     */
    boolean runOnRaisingThread(ProcessorTask isr, ThreadContext caller) {
        if (stopping || ownership.owner() != null || queue.size() != 0 || !ownership.tryAcquire()) {
            return false;
        }
        boolean interruptedBefore = Thread.interrupted(); // the raising thread's own, kept for it
        caller.runAs(context);
        try {
            runTask(isr);
            Runnable next;
            while (!stopping && (next = queue.poll()) != null) {
                runTask(next);
            }
        } finally {
            caller.endRunAs();
            ownership.release();
            watchdogInterrupt.settle();
            if (interruptedBefore) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    /**
     * Waits up to {@code timeoutNanos} for a raising thread that runs this processor to give it back
     * (a kernel closing); true when none does.
     */
    boolean awaitRaisingThread(long timeoutNanos) {
        Thread owner = ownership.owner();
        return owner == null
                || owner == thread // its own thread is joined with the others
                || owner == Thread.currentThread()
                || ownership.awaitFree(timeoutNanos);
    }

    /** How the DPC watchdog interrupts whatever thread runs this processor's routine. */
    WatchdogInterrupt watchdogInterrupt() {
        return watchdogInterrupt;
    }

    long routineStart() {
        return routineStart;
    }

    long elevatedSince() {
        return elevatedSince;
    }

    String routineDriver() {
        return routineDriver;
    }

    /** The IRQL the current ISR or DPC was called at, or null when idle. */
    Irql routineIrql() {
        return routineIrql;
    }

    void stop() {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        while (!stopping) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                continue; // only stop() ends the processor; a driver's stray interrupt does not
            }
            if (!ownership.tryAcquire()) {
                // A raising thread runs this processor now: the task goes back to the front, where
                // that thread's drain finds it, and this thread waits until it is given back.
                queue.addFirst(task);
                ownership.awaitFree();
                Thread.interrupted(); // stop() sets stopping first; any other interrupt is stray
                continue;
            }
            try {
                runTask(task);
            } finally {
                ownership.release();
            }
        }
    }

    /** Runs one task taken off the queue, by whichever thread owns the processor now. */
    private void runTask(Runnable task) {
        if (kernel.isCrashed()) {
            return; // the machine has stopped: drain without running driver code
        }
        if (elevatedSince == NONE) {
            elevatedSince = kernel.nanoTime();
        }
        ProcessorTask carried = (ProcessorTask) task; // only queue(ProcessorTask) fills the queue
        runAt(carried.irql(), carried.driver(), carried);
        Thread.interrupted(); // a routine's interrupt must not leak into the next one
        if (queue.size() == 0) {
            elevatedSince = NONE;
        }
    }

    private void runAt(Irql irql, String driver, Runnable routine) {
        context.setIrql(irql);
        String previous = context.enterDriver(driver);
        routineDriver = driver;
        routineIrql = irql;
        routineStart = kernel.nanoTime();
        kernel.statistics().processorRan(irql, driver);
        try {
            routine.run();
            if (!kernel.isCrashed()) {
                checkReturn(irql, 0);
            }
        } catch (BugCheckException stopped) {
            // Recorded by the kernel already; this processor stops running driver code.
        } catch (ContextAborted aborted) {
            throw aborted; // the deterministic scheduler ends its run: not the driver's crash
        } catch (Throwable t) {
            kernel.unhandledException(BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED, t);
        } finally {
            routineStart = NONE;
            routineDriver = null;
            routineIrql = null;
            context.forgetHeldLocks();
            context.leaveDriver(previous);
            context.setIrql(Irql.PASSIVE_LEVEL);
        }
    }

    /**
     * Runs an ISR nested in the routine this processor was running when the deterministic scheduler
     * switched it out at a scheduling point: an interrupt preempting a DPC (or a lower ISR). What the
     * outer routine holds and its IRQL come back when the ISR returns; the ISR is checked on return as
     * any ISR is, for the locks it took itself.
     */
    void runPreempting(Runnable interrupt) {
        ProcessorTask isr = (ProcessorTask) interrupt; // only queue(ProcessorTask) fills the queue
        long outerStart = routineStart;
        String outerDriver = routineDriver;
        Irql outerRoutineIrql = routineIrql;
        Irql outerIrql = context.irql();
        int held = context.heldLockCount();
        String previous = context.enterDriver(isr.driver());
        context.setIrql(isr.irql());
        routineDriver = isr.driver();
        routineIrql = isr.irql();
        routineStart = kernel.nanoTime();
        try {
            isr.run();
            if (!kernel.isCrashed()) {
                checkReturn(isr.irql(), held);
            }
        } catch (BugCheckException stopped) {
            // Recorded by the kernel already.
        } catch (ContextAborted aborted) {
            throw aborted;
        } catch (Throwable t) {
            kernel.unhandledException(BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED, t);
        } finally {
            routineStart = outerStart;
            routineDriver = outerDriver;
            routineIrql = outerRoutineIrql;
            context.forgetHeldLocksSince(held);
            context.leaveDriver(previous);
            context.setIrql(outerIrql);
        }
    }

    /**
     * A DPC or ISR returned: it must hold no spin lock (the lock's rule names the lock) and be at the
     * IRQL it was called at (IRQL_UNEXPECTED_VALUE, parameter 1 = current IRQL &lt;&lt; 16 | expected
     * IRQL &lt;&lt; 8 | {@link #UNIQUE_ISR} or {@link #UNIQUE_DPC}).
     */
    private void checkReturn(Irql calledAt, int outerLocks) {
        boolean isr = calledAt.above(Irql.DISPATCH_LEVEL);
        HeldLock held = context.firstHeldLockSince(outerLocks);
        if (held != null) {
            throw held.heldAtReturn(isr ? "an ISR" : "a DPC");
        }
        Irql now = context.irql();
        if (now != calledAt) {
            throw kernel.bugCheck(
                    BugCheckCode.IRQL_UNEXPECTED_VALUE,
                    (long) now.level() << 16 | calledAt.level() << 8 | (isr ? UNIQUE_ISR : UNIQUE_DPC),
                    0,
                    0,
                    0,
                    null,
                    (isr ? "an ISR" : "a DPC") + " returned at " + now + " but was called at " + calledAt);
        }
    }
}
