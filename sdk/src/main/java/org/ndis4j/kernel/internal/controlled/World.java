package org.ndis4j.kernel.internal.controlled;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.ndis4j.kernel.internal.ContextAborted;
import org.ndis4j.kernel.internal.ContextState;
import org.ndis4j.kernel.internal.KernelThread;
import org.ndis4j.kernel.internal.QueueRole;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * One deterministic run: every context of every kernel booted in it, one virtual clock, one seed.
 * Only the context holding the turn runs. At a scheduling point the running context computes the
 * enabled actions under the IRQL rules ({@link EnabledSet}), asks the strategy when there is more
 * than one, and keeps the turn or hands it on and parks. When nothing is enabled, the clock jumps to
 * the next timer; when no timer is left, the run is a deadlock and a report names every context and
 * what it waits for.
 *
 * <p>Every field is read and written only by the thread holding the turn (see {@link Context}).
 */
public final class World {

    /** An action's bit for "interrupt this processor" (an ISR preempting its routine). */
    static final int ISR = 1 << 30;

    private static final int SPINS_BEFORE_PARK = 64;

    private final WorldSettings settings;
    private final Strategy strategy;
    private final boolean dispatchAtomic;
    private final List<Context> contexts = new ArrayList<>();
    private final List<ControlledScheduler> machines = new ArrayList<>();
    private final TimerHeap timers = new TimerHeap();
    private final EventLog log = new EventLog();
    private final TraceWriter trace;
    private final EnabledSet enabled = new EnabledSet(this);
    private final Context test;
    private final ControlledTaskQueue hardwareQueue;

    private volatile Context current;
    /** The first call from a thread outside the run; written by that thread, read at the end. */
    private volatile String uncontrolledCall;

    private long now;
    private long sequence;
    private long steps;
    private long choiceSteps;
    /** The context whose step the strategy decides now (it reached the point, or ended). */
    private int pickingFor;

    private int objectIds;
    private String failure;
    private boolean over;

    World(WorldSettings settings, ContextState testState) {
        this.settings = settings;
        this.dispatchAtomic = settings.dispatchAtomic();
        this.strategy = settings.replay() != null ? new Replayer(settings.replay()) : Strategy.of(settings);
        this.trace = new TraceWriter(settings, strategy.describe());
        this.test = new Context(0, "T", Context.Kind.TEST, testState, null, null);
        contexts.add(test);
        test.turn = true;
        current = test;
        hardwareQueue = new ControlledTaskQueue(this, "hardware", QueueRole.CLOCK);
    }

    // ---- contexts -----------------------------------------------------------------------------

    Context test() {
        return test;
    }

    /** The world whose context the calling thread is, or null. */
    public static World ofCurrentThread() {
        return Thread.currentThread() instanceof ContextThread t ? t.world() : null;
    }

    /** Binds the test context to {@code thread}, which already holds the turn. */
    void bindTest(KernelThread thread) {
        test.thread = thread;
    }

    /**
     * A new context whose thread runs {@code body}; with a {@code queue} it starts blocked on it (it
     * runs first when the queue has work), otherwise runnable.
     */
    Context newContext(
            String id,
            Context.Kind kind,
            ContextState state,
            ControlledScheduler machine,
            ControlledTaskQueue queue,
            Runnable body) {
        Context c = new Context(contexts.size(), id, kind, state, machine, queue);
        contexts.add(c);
        if (queue != null) {
            c.blocker = new Blocker(Blocker.Kind.QUEUE, queue, null, Long.MAX_VALUE, TimeoutKind.WORK);
            queue.waiting(c);
        }
        ContextThread thread = new ContextThread(this, c, body);
        c.thread = thread;
        thread.start();
        return c;
    }

    void attach(ControlledScheduler machine) {
        machines.add(machine);
    }

    int machineCount() {
        return machines.size();
    }

    List<ControlledScheduler> machines() {
        return machines;
    }

    List<Context> contexts() {
        return contexts;
    }

    /** The next logical object number of the run ("EV#3", "LOCK#7"). */
    int nextObjectId() {
        return ++objectIds;
    }

    /** The hardware context's queue (device timers); the context is made on first use. */
    ControlledTaskQueue hardware() {
        if (!hardwareQueue.hasServer()) {
            Context hw = newContext("HW", Context.Kind.HARDWARE, NoState.INSTANCE, null, hardwareQueue, () -> {
                for (; ; ) {
                    Runnable r;
                    try {
                        r = hardwareQueue.take();
                    } catch (InterruptedException e) {
                        continue;
                    }
                    r.run();
                }
            });
            hardwareQueue.serveBy(hw);
        }
        return hardwareQueue;
    }

    // ---- the turn -----------------------------------------------------------------------------

    /**
     * The calling thread's context; a thread that is not the one holding the turn (a Netty event
     * loop, a driver's own thread, JUnit's thread) fails the run at once with a message that says so.
     */
    Context enter(String site) {
        Context c = current;
        if (c == null || c.thread != Thread.currentThread()) {
            uncontrolled(site);
        }
        return c;
    }

    private void uncontrolled(String site) {
        String message =
                "ndis4j deterministic mode: thread '" + Thread.currentThread().getName() + "' called "
                        + site + " on a machine that runs under a deterministic scheduler. Only the machine's own"
                        + " contexts, the test thread and the simulation's device timers may call in: a TCP wire, a"
                        + " Netty thread, an ExecutorDeviceTimer or a driver's own thread is not controlled (use the"
                        + " in-memory wire and the simulation's device timer; see docs/deterministic.md).";
        if (uncontrolledCall == null) {
            uncontrolledCall = message; // the run fails even if the caller swallows the exception
        }
        throw new IllegalStateException(message);
    }

    /** A scheduling point: another context may run before the caller goes on. */
    void yieldPoint(String site) {
        Context me = enter(site);
        if (over) {
            throw aborted(me);
        }
        if (dispatchAtomic && me.state.irqlLevel() >= 2) {
            return; // DISPATCH callbacks run to completion at this granularity
        }
        step(me, site);
    }

    /**
     * Blocks the calling context on {@code blocker} until it is woken (or its deadline passes) and
     * holds the turn again; returns why it runs.
     */
    WakeReason block(Context me, Blocker blocker) {
        if (over) {
            throw aborted(me);
        }
        if (me.pendingInterrupt && blocker.kind != Blocker.Kind.STALL && blocker.kind != Blocker.Kind.LOCK) {
            me.pendingInterrupt = false;
            me.blocker = blocker;
            wake(me, WakeReason.INTERRUPTED); // leaves the waiter lists the caller joined
            return WakeReason.INTERRUPTED;
        }
        me.blocker = blocker;
        me.blockedSince = now;
        me.wake = null;
        if (blocker.hasDeadline()) {
            me.wakeTimer = TimerEntry.wake(this, blocker.deadline, ++sequence, me, blocker);
            timers.add(me.wakeTimer);
        }
        step(me, blocker.site());
        return me.wake;
    }

    /** Makes a blocked context runnable again with {@code reason}. */
    void wake(Context c, WakeReason reason) {
        if (c.blocker == null || c.ended) {
            return;
        }
        if (c.blocker.kind == Blocker.Kind.QUEUE) {
            ((ControlledTaskQueue) c.blocker.target).notWaiting(c);
        } else if (c.blocker.kind == Blocker.Kind.EVENT) {
            ((ControlledEvent) c.blocker.target).notWaiting(c);
        } else if (c.blocker.kind == Blocker.Kind.LOCK) {
            ((ControlledLock) c.blocker.target).notWaiting(c);
        }
        if (reason == WakeReason.TIMED_OUT
                && (c.blocker.kind == Blocker.Kind.SLEEP || c.blocker.kind == Blocker.Kind.STALL)) {
            strategy.yielded(c.index); // a poll ran out: it waited for the others to get on
        }
        c.blocker = null;
        c.wake = reason;
        if (c.wakeTimer != null) {
            c.wakeTimer.cancelQuietly();
            c.wakeTimer = null;
        }
    }

    /** A timed wait's deadline passed. */
    void timedOut(Context waiter, Blocker blocker) {
        if (waiter.blocker == blocker) {
            waiter.wakeTimer = null;
            wake(waiter, WakeReason.TIMED_OUT);
        }
    }

    /** An interrupt of a context's thread: a blocked wait ends, otherwise the next wait does. */
    void interrupt(Context c) {
        enter("interrupt " + c.id);
        if (c.blocker != null && c.blocker.kind != Blocker.Kind.LOCK) {
            wake(c, WakeReason.INTERRUPTED); // a stall ends too; its check decides what that means
        } else {
            c.pendingInterrupt = true; // the next wait ends at once
        }
    }

    /** The calling context's body returned: it ends, and the turn goes on without it. */
    void ended(Context me) {
        if (me.blocker != null) {
            wake(me, WakeReason.READY); // unwound out of a wait: off every waiter list
        }
        me.ended = true;
        for (Context c : contexts) {
            if (c.blocker != null && c.blocker.kind == Blocker.Kind.JOIN && joinedAll(c.blocker)) {
                wake(c, WakeReason.READY);
            }
        }
        if (me.abort || me == test) {
            return; // the world's end unwinds it, or the test context stops after the run
        }
        if (over) {
            test.abort = true; // a context died: the test context unwinds its step
            handTo(test);
            return;
        }
        steps++;
        log.step(now, me.id, "end");
        Context next = pick(me, "end");
        if (next != null) {
            handTo(next);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean joinedAll(Blocker b) {
        for (Context c : (List<Context>) b.target) {
            if (!c.ended) {
                return false;
            }
        }
        return true;
    }

    /** Blocks the caller until every context in {@code threads} ended or the watchdog deadline. */
    boolean join(List<Context> targets, long timeoutNanos) {
        Context me = enter("join");
        Blocker b = new Blocker(Blocker.Kind.JOIN, targets, null, deadline(timeoutNanos), TimeoutKind.WATCHDOG);
        if (joinedAll(b)) {
            return true;
        }
        block(me, b);
        return joinedAll(b);
    }

    private void step(Context me, String site) {
        steps++;
        me.lastSite = site;
        if (steps > settings.maxSteps()) {
            fail("the run took more than " + settings.maxSteps() + " steps (a livelock, or raise maxSteps)");
        }
        log.step(now, me.id, site);
        Context next = pick(me, site);
        if (next == null) {
            throw aborted(me); // the run failed (a deadlock): the test context unwinds
        }
        if (next != me) {
            handTo(next);
            awaitTurn(me);
        }
        if (me.abort) {
            throw aborted(me);
        }
        if (me.isrRequested) {
            me.isrRequested = false;
            Runnable isr = me.queue.pollInterrupt();
            log.event(now, me.id, "interrupt preempts " + site);
            me.state.runPreempting(isr);
            step(me, "ISR returned");
        }
    }

    /**
     * The context (with a requested interrupt, for an ISR action) that runs next, or null when the
     * run has failed; moves the clock when nothing can run.
     */
    private Context pick(Context me, String site) {
        pickingFor = me.index;
        for (; ; ) {
            if (over) {
                return handToTestOnFailure(me);
            }
            int count = enabled.compute();
            if (count == 0) {
                if (advanceTime()) {
                    continue;
                }
                fail(DeadlockReport.of(this, me));
                return handToTestOnFailure(me);
            }
            int chosen;
            if (count == 1) {
                chosen = enabled.action(0);
            } else {
                choiceSteps++;
                int[] actions = enabled.actions();
                int i;
                try {
                    i = strategy.pick(actions, count, steps, choiceSteps, me.id, site, this);
                } catch (ReplayDivergence d) {
                    fail(d.getMessage());
                    return handToTestOnFailure(me);
                }
                chosen = actions[i];
                trace.step(steps, choiceSteps, now, me.id, site, this, actions, count, chosen);
                log.choice(choiceSteps, actionId(chosen));
            }
            Context next = contexts.get(chosen & ~ISR);
            if ((chosen & ISR) != 0) {
                next.isrRequested = true;
            }
            if (!next.runnable()) {
                throw new IllegalStateException("the enabled set chose " + next.id + ", which cannot run");
            }
            return next;
        }
    }

    /** The index of the context whose step the strategy decides now. */
    int pickingFor() {
        return pickingFor;
    }

    /**
     * A note of the strategy's in the trace (the fair fallback taking over); not in the event log,
     * whose hash a replay, which has no such strategy, must reproduce.
     */
    void note(long step, long choiceStep, String text) {
        trace.note(step, choiceStep, text);
    }

    String actionId(int action) {
        return contexts.get(action & ~ISR).id + ((action & ISR) != 0 ? "!isr" : "");
    }

    /** After a failure: the test context gets the turn to unwind its step; null if that is the caller. */
    private Context handToTestOnFailure(Context me) {
        if (me == test) {
            return null;
        }
        test.abort = true;
        handTo(test);
        awaitTurn(me); // only the world's end gives it back, with abort set
        throw aborted(me);
    }

    private void handTo(Context next) {
        Context me = current;
        current = next;
        if (me != null && me != next) {
            me.turn = false;
        }
        next.turn = true;
        LockSupport.unpark(next.thread);
    }

    static void awaitTurn(Context me) {
        int spins = 0;
        while (!me.turn) {
            if (spins++ < SPINS_BEFORE_PARK) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(me);
            }
        }
    }

    private ContextAborted aborted(Context me) {
        return new ContextAborted("the deterministic run ended (" + (failure == null ? "finished" : "failed") + ")");
    }

    // ---- virtual time ----------------------------------------------------------------------------

    long now() {
        return now;
    }

    /** A deadline {@code nanos} from now, rounded up to 100 ns; negative: none. */
    long deadline(long nanos) {
        if (nanos < 0) {
            return Long.MAX_VALUE;
        }
        long d = now + ((nanos + 99) / 100) * 100;
        return d < now ? Long.MAX_VALUE : d;
    }

    TimerEntry schedule(long delayNanos, TimeoutKind kind, Runnable action, ControlledTaskQueue queue) {
        TimerEntry e = TimerEntry.action(this, deadline(Math.max(0, delayNanos)), ++sequence, kind, action, queue);
        timers.add(e);
        return e;
    }

    TimerHeap timers() {
        return timers;
    }

    /**
     * Nothing can run: delivers the earliest timer (a WORK one, or any under FIRE_WATCHDOGS) and
     * what is due with it. False when time may not move.
     */
    private boolean advanceTime() {
        if (timers.isEmpty() || (!timers.hasWork() && !settings.fireWatchdogs())) {
            return false;
        }
        TimerEntry first = timers.poll();
        if (first.deadline > now) {
            now = first.deadline;
            if (now > settings.maxVirtualNanos()) {
                fail("virtual time passed " + EventLog.seconds(settings.maxVirtualNanos())
                        + " s without the test ending (only timers kept the run going)");
                return false;
            }
        }
        first.deliver();
        while (timers.peek() != null && timers.peek().deadline <= now) {
            timers.poll().deliver();
        }
        return true;
    }

    // ---- data choices, crashes, failure -------------------------------------------------------------

    int choose(String what, int bound) {
        Context me = enter(what);
        if (bound <= 1) {
            return 0;
        }
        int value;
        try {
            value = strategy.choose(what, bound, steps);
        } catch (ReplayDivergence d) {
            fail(d.getMessage());
            throw aborted(me);
        }
        trace.choice(steps, what, bound, value);
        log.event(now, me.id, "choose " + what + " " + value + "/" + bound);
        return value;
    }

    /** A machine bug-checked: its spinners and stallers end their waits (they throw the crash). */
    void crashed(ControlledScheduler machine, String summary) {
        log.event(now, "K" + machine.machineTag(), "BUGCHECK " + summary);
        for (Context c : contexts) {
            if (c.blocker != null
                    && (c.blocker.kind == Blocker.Kind.STALL || c.blocker.kind == Blocker.Kind.LOCK)
                    && c.state.machineTag() == machine.machineTag()) {
                wake(c, WakeReason.CRASHED);
            }
        }
    }

    void logEvent(String what) {
        Context c = current;
        log.event(now, c == null ? "?" : c.id, what);
    }

    /** Ends the run as failed with {@code text} (the first failure wins). */
    void fail(String text) {
        if (failure == null) {
            failure = text;
            log.event(now, "world", "FAIL " + firstLine(text));
        }
        over = true;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    String failure() {
        return failure;
    }

    boolean isOver() {
        return over;
    }

    long steps() {
        return steps;
    }

    long choiceSteps() {
        return choiceSteps;
    }

    boolean dispatchAtomic() {
        return dispatchAtomic;
    }

    Strategy strategy() {
        return strategy;
    }

    WorldSettings settings() {
        return settings;
    }

    EventLog log() {
        return log;
    }

    TraceWriter trace() {
        return trace;
    }

    /**
     * The run is over (the test context's last step returned, or the run failed): fixes the result,
     * then unwinds every context still alive, one at a time, from the calling (JUnit's) thread.
     */
    void end(String testFailure) {
        over = true;
        if (failure == null && uncontrolledCall != null) {
            failure = uncontrolledCall;
        }
        if (strategy instanceof Replayer r && failure == null) {
            String unfinished = r.unfinished(steps);
            if (unfinished != null) {
                failure = unfinished;
            }
        }
        String result = failure != null ? "fail" : testFailure != null ? "fail" : "pass";
        log.end(result, steps, now);
        trace.footer(result, failure != null ? failure : testFailure, steps, choiceSteps, now, log);
        if (strategy instanceof Replayer r && failure == null) {
            String mismatch = r.compareOutcome(result, log.sha256());
            if (mismatch != null) {
                failure = mismatch;
            }
        }
        for (Context c : contexts) {
            if (c == test || c.thread == null || !c.thread.isAlive()) {
                continue;
            }
            c.abort = true;
            current = c;
            c.turn = true;
            LockSupport.unpark(c.thread);
            try {
                c.thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        current = null;
    }
}
