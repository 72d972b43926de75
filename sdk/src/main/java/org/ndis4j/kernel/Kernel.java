package org.ndis4j.kernel;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ndis4j.kernel.internal.KernelThread;
import org.ndis4j.kernel.internal.LockKind;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.ThreadedScheduler;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * One simulated machine: processors, system worker queues, a clock, and the crash state. Many
 * kernels can live in one JVM; every handle knows its kernel.
 *
 * <pre>
 *   Kernel kernel = Kernel.boot(KernelConfig.defaults());
 *   ... load drivers, add devices (org.ndis4j.ndis) ...
 *   kernel.close();   // removes devices, unloads drivers, reports leaks, stops the threads
 * </pre>
 *
 * <p>After a bug check the kernel runs no more driver code: queued DPCs and work items are dropped
 * and every kernel or NDIS call throws {@link BugCheckException}.
 */
public final class Kernel implements AutoCloseable {

    private static final AtomicInteger BOOTED = new AtomicInteger();
    /** Where the stand-in addresses of {@link #pointerOf} start (the kernel half of an x64 address space). */
    private static final long POINTER_BASE = 0xFFFF_8000_0000_0000L;
    /** How long {@link #close()} waits for the kernel's threads to end. */
    private static final Duration CLOSE_JOIN = Duration.ofSeconds(2);

    private final KernelConfig config;
    private final String name;
    private final Scheduler scheduler;
    /** True under a deterministic scheduler: the only cost of that mode on the threaded hot paths. */
    private final boolean controlled;
    /** The machine's number under its scheduler (a deterministic run numbers its machines 1, 2, ...); 0 threaded. */
    private final int tag;
    /** An idle processor's interrupt runs on the outside thread that raised it (threaded, by default). */
    private final boolean interruptsOnRaisingThread;

    private final KernelStatistics statistics = new KernelStatistics(this);
    private final Processor[] processors;
    private final Map<WorkQueueType, WorkerPool> workQueues = new EnumMap<>(WorkQueueType.class);
    private final DpcWatchdog watchdog;
    private final AtomicReference<CrashReport> crash = new AtomicReference<>();
    /** Set when the machine bug-checks ({@link #awaitCrash}). */
    private final Scheduler.Waitable crashed;
    /** The events threads wait on through {@link #waitFor} now: a crash sets them, so every such wait ends. */
    private final Set<KEvent> waitedOn = ConcurrentHashMap.newKeySet();

    private final List<Consumer<CrashReport>> crashListeners = new CopyOnWriteArrayList<>();
    private final Map<Class<?>, Object> extensions = new ConcurrentHashMap<>();
    /** Guarded by itself: shutdown steps, run last-registered first. */
    private final Deque<Runnable> shutdownSteps = new ArrayDeque<>();

    private final AtomicInteger nextProcessor = new AtomicInteger();
    /** Numbers the machine's objects (spin locks, NBLs, ...) for messages: per machine, in creation order. */
    private final AtomicInteger objectNumbers = new AtomicInteger();
    /** Guarded by itself: the stand-in addresses {@link #pointerOf} handed out. */
    private final Map<Object, Long> pointers = new IdentityHashMap<>();

    private volatile boolean closed;
    /** Set right after a crash is recorded or the machine closes: {@link #checkAlive}'s one read. */
    private volatile boolean stopped;

    private volatile boolean crashExpected;

    private Kernel(KernelConfig config) {
        this.config = config;
        if (config.scheduling() == KernelConfig.Scheduling.DETERMINISTIC) {
            // The run numbers its machines: names do not depend on what ran earlier in the JVM.
            this.scheduler = Simulation.attach(new ThreadContext(this, ThreadKind.CLOCK, -1));
            this.name = config.name() + "#K" + scheduler.machineTag();
        } else {
            if (Simulation.insideRun()) {
                throw new IllegalStateException("a THREADED kernel cannot boot inside a deterministic run: its"
                        + " threads would not be controlled (use Scheduling.DETERMINISTIC)");
            }
            this.name = config.name() + "#" + BOOTED.incrementAndGet();
            this.scheduler = new ThreadedScheduler(name, new ThreadContext(this, ThreadKind.CLOCK, -1));
        }
        this.controlled = scheduler.isControlled();
        this.interruptsOnRaisingThread = !controlled && config.interruptsOnRaisingThread();
        this.tag = scheduler.machineTag();
        this.crashed = scheduler.newEvent(false, "the machine bug-checks");
        this.processors = new Processor[config.processors()];
        for (int i = 0; i < processors.length; i++) {
            processors[i] = new Processor(this, i, scheduler);
        }
        for (Processor p : processors) {
            p.start(scheduler);
        }
        workQueues.put(
                WorkQueueType.CriticalWorkQueue,
                new WorkerPool(this, WorkQueueType.CriticalWorkQueue, config.criticalWorkers(), scheduler));
        workQueues.put(
                WorkQueueType.DelayedWorkQueue,
                new WorkerPool(this, WorkQueueType.DelayedWorkQueue, config.delayedWorkers(), scheduler));
        // The threaded kernel charges a routine its thread's CPU time (docs/kernel.md, "DPC watchdog").
        watchdog =
                new DpcWatchdog(this, Arrays.asList(processors), scheduler, controlled ? null : ThreadCpuClock.ofJvm());
        watchdog.start();
    }

    /** Boots a machine. */
    public static Kernel boot(KernelConfig config) {
        return new Kernel(config);
    }

    /** Boots a machine with {@link KernelConfig#defaults()}. */
    public static Kernel boot() {
        return boot(KernelConfig.defaults());
    }

    public KernelConfig config() {
        return config;
    }

    /** A unique name ("ndis4j#3"), used in thread names and reports. */
    public String name() {
        return name;
    }

    /** The machine's number under its scheduler; for the scheduler's rules and reports. */
    int tag() {
        return tag;
    }

    public int processorCount() {
        return processors.length;
    }

    /** What the machine ran so far: ISRs, DPCs and work items (for hosts and demos). */
    public KernelStatistics statistics() {
        return statistics;
    }

    /** Kernel clock in nanoseconds (monotonic; only differences mean anything). */
    public long nanoTime() {
        return scheduler.nanoTime();
    }

    /** The DPC watchdog, for tests of what it charges a routine. */
    DpcWatchdog dpcWatchdog() {
        return watchdog;
    }

    /** KeQueryInterruptTime: kernel time in 100-nanosecond units. */
    public long queryInterruptTime() {
        return scheduler.nanoTime() / 100;
    }

    // ---- the scheduler seam, for the layers above the kernel -----------------------------------

    /** KeInitializeEvent (NotificationEvent): an event of this machine, set or not. */
    public KEvent initializeEvent(boolean signaled) {
        return new KEvent(this, scheduler.newEvent(signaled, null));
    }

    /**
     * A lock of this machine whose contenders wait through the scheduler seam (NDIS's spin locks, the
     * interrupt lock, the PnP manager's serialisation). {@code name} is for reports.
     */
    public KernelLock newLock(String name, KernelLock.Kind kind) {
        LockKind k = switch (kind) {
            case SPIN -> LockKind.SPIN;
            case MUTEX -> LockKind.MUTEX;
            case ENGINE -> LockKind.ENGINE;
        };
        return new KernelLock(this, scheduler.newLock(name, k));
    }

    /**
     * The next number of this machine's object numbering (spin locks, NBLs, DPC objects in messages):
     * per machine and in creation order, so that two runs of the same schedule name objects alike.
     */
    public int newObjectNumber() {
        return objectNumbers.incrementAndGet();
    }

    /**
     * Runs {@code action} on the clock thread after {@code delayNanos} of kernel time (a timer's
     * expiry: the action only queues work, it never runs driver code itself).
     */
    public ClockTask schedule(long delayNanos, Runnable action) {
        return schedule(delayNanos, WaitKind.WORK, action);
    }

    /**
     * The same, saying what the delay means: {@link WaitKind#WATCHDOG} for an action that only
     * detects a hang (NDIS's watchdog), which a deterministic scheduler fires only when nothing else
     * can run.
     */
    public ClockTask schedule(long delayNanos, WaitKind kind, Runnable action) {
        Scheduler.ScheduledTask task = scheduler.schedule(delayNanos, timeoutKind(kind), action);
        return task::cancel;
    }

    static TimeoutKind timeoutKind(WaitKind kind) {
        return kind == WaitKind.WATCHDOG ? TimeoutKind.WATCHDOG : TimeoutKind.WORK;
    }

    /**
     * Blocks the calling thread for {@code nanos} of kernel time. PASSIVE_LEVEL only; the caller
     * checks (NdisMSleep does).
     */
    public void delayExecution(long nanos) throws InterruptedException {
        scheduler.sleep(nanos);
    }

    /**
     * KeStallExecutionProcessor: busy-waits {@code nanos} of kernel time at the caller's IRQL, keeping
     * its processor. Any IRQL. A crash of the machine ends the stall (the crash is thrown).
     */
    public void stall(long nanos) {
        scheduler.stall(nanos, this::checkAlive);
    }

    /**
     * Waits until {@code event} is set or {@code timeoutNanos} of kernel time pass (negative: no
     * time-out). A bug check of this machine ends the wait at once: the recorded crash is thrown. An
     * interrupt of the waiting thread that is not a crash ends it with {@link IllegalStateException}
     * (the interrupt stays set). True when the event was set. PASSIVE_LEVEL only; the caller checks.
     *
     * <p>This is how NDIS's engine, the PnP manager and hosts wait: through the scheduler seam, so that
     * a deterministic scheduler on virtual time sees every wait, what it is for ({@code what}, for its
     * reports) and what its time-out means ({@code kind}).
     */
    public boolean waitFor(String what, KEvent event, long timeoutNanos, WaitKind kind) {
        waitedOn.add(event);
        try {
            checkAlive();
            boolean set = event.await(what, timeoutNanos, kind);
            checkAlive(); // a crash sets the event: it ends the wait, not the condition
            return set;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            checkAlive();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } finally {
            waitedOn.remove(event);
        }
    }

    /**
     * A point where the deterministic scheduler may switch to another context; every NDIS call that
     * synchronises or publishes work passes one, {@code site} naming it (the NDIS function, a
     * constant). Free in the threaded scheduler: one predictable branch.
     */
    public void switchPoint(String site) {
        if (controlled) {
            scheduler.switchPoint(site);
        }
    }

    // ---- DPCs -------------------------------------------------------------------------------

    /** KeInitializeDpc: a DPC object whose routine belongs to {@code driver}. */
    public <C> KDpc initializeDpc(DpcRoutine<C> routine, C deferredContext, String driver) {
        if (routine == null) {
            throw new IllegalArgumentException("a DPC needs a routine");
        }
        return new KDpc(this, routine, deferredContext, driver);
    }

    /**
     * KeInsertQueueDpc for NDIS's engine: queues {@code dpc} on its target processor, or the
     * current/next one; false if already queued. Unlike {@link Ke#insertQueueDpc} it is no scheduling
     * point, so a caller may hold a lock of its own (a Java monitor must never be held across one).
     */
    public boolean insertQueueDpc(KDpc dpc, Object argument1, Object argument2) {
        checkAlive();
        int target = dpc.targetProcessor();
        if (target < 0) {
            target = currentOrNextProcessor();
        }
        if (!dpc.tryInsert(argument1, argument2, target)) {
            return false;
        }
        processors[target].queue(dpc.entry()); // the DPC's own entry: nothing is allocated
        return true;
    }

    /** The processor the calling thread is, or the next one in turn for other threads (round robin). */
    public int currentOrNextProcessor() {
        int current = ThreadContext.current().processorNumber();
        if (current >= 0 && ThreadContext.current().kernel() == this) {
            return current;
        }
        if (controlled) {
            return scheduler.choose("cpu-target", processors.length); // seeded: part of the schedule
        }
        return Math.floorMod(nextProcessor.getAndIncrement(), processors.length);
    }

    /**
     * KeFlushQueuedDpcs: returns once every DPC queued on any processor when it was called (and every
     * DPC running then) has finished. PASSIVE_LEVEL only; the caller checks (NdisCancelTimerObject on a
     * periodic timer does). Waits through the scheduler seam.
     */
    public void flushQueuedDpcs() {
        DpcFlush.flush(this, processors.length);
    }

    // ---- work queues ------------------------------------------------------------------------

    /** ExQueueWorkItem: runs {@code routine} at PASSIVE_LEVEL on a thread of queue {@code type}. */
    public void queueWorkItem(WorkQueueType type, String driver, Runnable routine) {
        checkAlive();
        workQueues.get(type).queue(driver, routine);
    }

    /** The same for a task that names its driver, so queuing allocates nothing (NDIS I/O work items). */
    public void queueWorkItem(WorkQueueType type, WorkerTask task) {
        checkAlive();
        workQueues.get(type).queue(task);
    }

    /**
     * Runs a task that carries its IRQL and driver on processor {@code number}; one above
     * DISPATCH_LEVEL (an ISR) goes before the DPCs waiting there. Allocates nothing.
     *
     * <p>With {@link KernelConfig#interruptsOnRaisingThread()} (the default; threaded scheduler), an ISR asked for
     * by a thread from outside the kernel that runs no driver code (a device's I/O thread or timer)
     * while the processor is idle runs here, on the calling thread as that processor, with every DPC
     * it queues there; this returns when they are done. Otherwise the task is queued and this returns
     * at once.
     */
    public void runOnProcessor(int number, ProcessorTask task) {
        if (number < 0 || number >= processors.length) {
            throw new IllegalArgumentException("no processor " + number + " on " + name);
        }
        Processor target = processors[number];
        if (interruptsOnRaisingThread && task.irql().above(Irql.DISPATCH_LEVEL)) {
            // An interrupt raised from outside the kernel runs on the raising thread if the processor
            // is idle, as Windows runs it on whatever the processor was doing (docs/kernel.md).
            ThreadContext caller = ThreadContext.current();
            if (caller.canRunInterrupts() && target.runOnRaisingThread(task, caller)) {
                return;
            }
        }
        target.queue(task);
    }

    // ---- crash ------------------------------------------------------------------------------

    /**
     * A stand-in for {@code object}'s kernel address in a bug check parameter (where Windows puts a
     * pointer): stable for this machine and handed out in first-use order, so that two runs of the
     * same schedule stop with the same parameters. Only crash paths ask for one.
     */
    public long pointerOf(Object object) {
        synchronized (pointers) {
            Long known = pointers.get(object);
            if (known == null) {
                known = POINTER_BASE + 0x40L * (pointers.size() + 1);
                pointers.put(object, known);
            }
            return known;
        }
    }

    /**
     * KeBugCheckEx: stops the machine. Records the first crash (later ones are ignored), and returns
     * the exception the caller throws to unwind the faulting code.
     */
    public BugCheckException bugCheck(
            BugCheckCode code, long p1, long p2, long p3, long p4, String rule, String message) {
        return bugCheck(code, p1, p2, p3, p4, rule, message, List.of());
    }

    /** The same, naming where the objects the crash is about were made (see {@link AllocationSite}). */
    public BugCheckException bugCheck(
            BugCheckCode code,
            long p1,
            long p2,
            long p3,
            long p4,
            String rule,
            String message,
            List<AllocationSite> allocations) {
        ThreadContext ctx = ThreadContext.current();
        return recordCrash(
                code,
                p1,
                p2,
                p3,
                p4,
                rule,
                message,
                ctx.driver(),
                ctx.processorNumber(),
                ctx.irql(),
                Thread.currentThread(),
                Thread.currentThread().getStackTrace(),
                allocations);
    }

    /**
     * A bug check raised on behalf of another thread, with its stack taken by the caller (the DPC
     * watchdog reports the processor, having checked that the routine still ran once it had the stack).
     */
    BugCheckException bugCheckFor(
            Thread culprit,
            StackTraceElement[] stack,
            int processor,
            Irql irql,
            String driver,
            BugCheckCode code,
            long p1,
            long p2,
            long p3,
            long p4,
            String rule,
            String message) {
        return recordCrash(code, p1, p2, p3, p4, rule, message, driver, processor, irql, culprit, stack, List.of());
    }

    /**
     * A bug check raised on behalf of another thread, the one that is stuck (NDIS's watchdog reports
     * the thread that runs the operation it waited for): the report shows that thread's stack, IRQL
     * and processor, and blames {@code driver}. Returns the exception; the caller does not throw it
     * into the stuck thread (it cannot), but ends its waits ({@link #waitFor} and every NDIS wait end
     * on a crash) and may interrupt it.
     */
    public BugCheckException bugCheckFor(
            Thread culprit,
            String driver,
            BugCheckCode code,
            long p1,
            long p2,
            long p3,
            long p4,
            String rule,
            String message) {
        ThreadContext ctx = ThreadContext.of(culprit);
        return recordCrash(
                code,
                p1,
                p2,
                p3,
                p4,
                rule,
                message,
                driver,
                ctx == null ? -1 : ctx.processorNumber(),
                ctx == null ? Irql.PASSIVE_LEVEL : ctx.irql(),
                culprit,
                culprit.getStackTrace(),
                List.of());
    }

    /** A driver routine threw: the matching "exception not handled" bug check. */
    void unhandledException(BugCheckCode code, Throwable t) {
        ThreadContext ctx = ThreadContext.current();
        recordCrash(
                code,
                0xC0000005L,
                0,
                0,
                0,
                null,
                "unhandled " + t,
                ctx.driver(),
                ctx.processorNumber(),
                ctx.irql(),
                Thread.currentThread(),
                t.getStackTrace(),
                List.of());
    }

    private BugCheckException recordCrash(
            BugCheckCode code,
            long p1,
            long p2,
            long p3,
            long p4,
            String rule,
            String message,
            String driver,
            int processor,
            Irql irql,
            Thread thread,
            StackTraceElement[] stack,
            List<AllocationSite> allocations) {
        CrashReport report = new CrashReport(
                code,
                List.of(p1, p2, p3, p4),
                rule,
                message,
                driver,
                processor,
                irql,
                thread.getName(),
                trimStack(stack),
                scheduler.wallClock(),
                allocations);
        if (crash.compareAndSet(null, report)) {
            stopped = true;
            crashed.set();
            waitedOn.forEach(KEvent::set); // every waitFor ends and throws the crash
            scheduler.machineCrashed(report.code() + (report.rule() == null ? "" : " " + report.rule()) + ": "
                    + report.message()); // spins and stalls end with it
            crashListeners.forEach(l -> l.accept(report));
            return new BugCheckException(report);
        }
        return new BugCheckException(crash.get());
    }

    private static List<String> trimStack(StackTraceElement[] stack) {
        return Arrays.stream(stack)
                .filter(f -> !f.getClassName().startsWith("java.lang.Thread")
                        && !f.getClassName().equals(Kernel.class.getName()))
                .map(StackTraceElement::toString)
                .limit(40)
                .toList();
    }

    public boolean isCrashed() {
        return crash.get() != null;
    }

    public Optional<CrashReport> crashReport() {
        return Optional.ofNullable(crash.get());
    }

    /** Waits up to {@code timeout} for a bug check; the report, or empty if none came. */
    public Optional<CrashReport> awaitCrash(Duration timeout) throws InterruptedException {
        crashed.await("a bug check", timeout.toNanos(), TimeoutKind.WATCHDOG);
        return crashReport();
    }

    /**
     * Marks the crash as the one a test expected, so the test harness does not fail the test for it.
     */
    public void acknowledgeCrash() {
        crashExpected = true;
    }

    /** True when there was a crash and a test said it expected it. */
    public boolean isCrashAcknowledged() {
        return crashExpected && isCrashed();
    }

    /** Called with the report when the machine crashes (a tool prints it, a test fails). */
    public void onCrash(Consumer<CrashReport> listener) {
        crashListeners.add(listener);
        CrashReport already = crash.get();
        if (already != null) {
            listener.accept(already);
        }
    }

    /** Throws the recorded crash if the machine has stopped; every entry point calls it. */
    public void checkAlive() {
        if (!stopped) {
            return;
        }
        CrashReport report = crash.get();
        if (report != null) {
            throw new BugCheckException(report);
        }
        if (closed) {
            throw new IllegalStateException("kernel " + name + " is closed");
        }
    }

    // ---- extensions and shutdown ------------------------------------------------------------

    /**
     * Per-kernel state of a layer above the kernel (the NDIS library keeps its drivers and adapters
     * here), created on first use. Internal.
     */
    @SuppressWarnings("unchecked")
    public <T> T extension(Class<T> type, Function<Kernel, T> factory) {
        Object existing = extensions.get(type);
        if (existing != null) {
            return (T) existing;
        }
        // Not computeIfAbsent: a factory may itself ask for another extension.
        synchronized (extensions) {
            existing = extensions.get(type);
            if (existing == null) {
                existing = factory.apply(this);
                extensions.put(type, existing);
            }
            return (T) existing;
        }
    }

    /** A step to run at {@link #close()}, before the threads stop; the last added runs first. */
    public void addShutdownStep(Runnable step) {
        synchronized (shutdownSteps) {
            shutdownSteps.push(step);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Shuts the machine down: runs the shutdown steps (NDIS removes devices and unloads drivers,
     * which reports leaks), then stops the processors, worker threads and the clock.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        RuntimeException failure = null;
        for (; ; ) {
            Runnable step;
            synchronized (shutdownSteps) {
                step = shutdownSteps.poll();
            }
            if (step == null) {
                break;
            }
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        closed = true;
        stopped = true;
        ThreadContext.forgetKernel(this);
        watchdog.stop();
        for (Processor p : processors) {
            p.stop();
        }
        workQueues.values().forEach(WorkerPool::stop);
        scheduler.shutdown();
        if (!controlled) {
            long joinDeadline = nanoTime() + CLOSE_JOIN.toNanos();
            for (Processor p : processors) {
                // A raising thread running a processor stops after its current routine (it sees stopping).
                p.awaitRaisingThread(Math.max(0, joinDeadline - nanoTime()));
            }
        }
        List<KernelThread> threads = new ArrayList<>();
        for (Processor p : processors) {
            threads.add(p.thread());
        }
        workQueues.values().forEach(pool -> threads.addAll(pool.threads()));
        try {
            scheduler.awaitTermination(threads, CLOSE_JOIN.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null && !(failure instanceof BugCheckException)) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Kernel[" + name + ", " + processors.length + " processors" + (isCrashed() ? ", crashed" : "")
                + (closed ? ", closed" : "") + "]";
    }
}
