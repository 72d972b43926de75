package org.ndis4j.kernel;

import java.time.Duration;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * A machine's crash state: the first bug check (later ones are ignored), what it ends (every wait
 * through {@link Kernel#waitFor}, every spin and stall), who is told, and the stand-in addresses its
 * parameters name. {@link Kernel} holds one and answers the public calls with it.
 */
final class BugChecks {

    /** Where the stand-in addresses of {@link #pointerOf} start (the kernel half of an x64 address space). */
    private static final long POINTER_BASE = 0xFFFF_8000_0000_0000L;
    /** Frames of these classes are how a report was made, not where the crash happened. */
    private static final Set<String> RECORDING_CLASSES = Set.of(Kernel.class.getName(), BugChecks.class.getName());

    private final Scheduler scheduler;
    /** Run once, first thing, when the first crash is recorded: the kernel's entry points stop. */
    private final Runnable stopMachine;

    private final AtomicReference<CrashReport> crash = new AtomicReference<>();
    /** Set when the machine bug-checks ({@link #await}). */
    private final Scheduler.Waitable crashed;
    /** The events threads wait on through {@link Kernel#waitFor} now: a crash sets them, so every such wait ends. */
    private final Set<KEvent> waitedOn = ConcurrentHashMap.newKeySet();

    private final List<Consumer<CrashReport>> listeners = new CopyOnWriteArrayList<>();
    /** Guarded by itself: the stand-in addresses {@link #pointerOf} handed out. */
    private final Map<Object, Long> pointers = new IdentityHashMap<>();

    private volatile boolean expected;

    BugChecks(Scheduler scheduler, Runnable stopMachine) {
        this.scheduler = scheduler;
        this.stopMachine = stopMachine;
        this.crashed = scheduler.newEvent(false, "the machine bug-checks");
    }

    /** See {@link Kernel#pointerOf}. */
    long pointerOf(Object object) {
        synchronized (pointers) {
            Long known = pointers.get(object);
            if (known == null) {
                known = POINTER_BASE + 0x40L * (pointers.size() + 1);
                pointers.put(object, known);
            }
            return known;
        }
    }

    /** A bug check by the calling thread, in its context, with its stack. */
    BugCheckException raise(
            BugCheckCode code,
            long p1,
            long p2,
            long p3,
            long p4,
            String rule,
            String message,
            List<AllocationSite> allocations) {
        ThreadContext ctx = ThreadContext.current();
        return record(
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

    /** A bug check on behalf of {@code culprit}, in its context if it has one, with its stack now. */
    BugCheckException raiseFor(
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
        return record(
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
        record(
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

    /** Records the crash if it is the first; the exception to throw (of the first crash either way). */
    BugCheckException record(
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
            stopMachine.run();
            crashed.set();
            waitedOn.forEach(KEvent::set); // every waitFor ends and throws the crash
            scheduler.machineCrashed(report.code() + (report.rule() == null ? "" : " " + report.rule()) + ": "
                    + report.message()); // spins and stalls end with it
            listeners.forEach(l -> l.accept(report));
            return new BugCheckException(report);
        }
        return new BugCheckException(crash.get());
    }

    private static List<String> trimStack(StackTraceElement[] stack) {
        return Arrays.stream(stack)
                .filter(f -> !f.getClassName().startsWith("java.lang.Thread")
                        && !RECORDING_CLASSES.contains(f.getClassName()))
                .map(StackTraceElement::toString)
                .limit(40)
                .toList();
    }

    /** {@code event} is waited on through {@link Kernel#waitFor} until {@link #waitEnded}: a crash sets it. */
    void waitStarted(KEvent event) {
        waitedOn.add(event);
    }

    void waitEnded(KEvent event) {
        waitedOn.remove(event);
    }

    /** The recorded crash, or null. */
    CrashReport report() {
        return crash.get();
    }

    Optional<CrashReport> await(Duration timeout) throws InterruptedException {
        crashed.await("a bug check", timeout.toNanos(), TimeoutKind.WATCHDOG);
        return Optional.ofNullable(crash.get());
    }

    void acknowledge() {
        expected = true;
    }

    boolean isAcknowledged() {
        return expected && crash.get() != null;
    }

    void onCrash(Consumer<CrashReport> listener) {
        listeners.add(listener);
        CrashReport already = crash.get();
        if (already != null) {
            listener.accept(already);
        }
    }
}
