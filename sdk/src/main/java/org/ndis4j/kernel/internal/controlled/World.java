package org.ndis4j.kernel.internal.controlled;

import java.util.ArrayList;
import java.util.List;
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
 * <p>The world holds what the run is (its contexts, machines, strategy, trace, event log and
 * result) and is the package's one entry for them; the work is done by its parts, one concern each:
 * the {@link Turn} (scheduling points, the strategy's choice, handing the turn on), the {@link
 * Waits} (blocking and waking contexts), the {@link VirtualClock}, the {@link SeededChoices} (data
 * choices and faults) and the {@link Unwinding} at the end. Which actions are enabled is the {@link
 * EnabledSet}'s; the failure reports are {@link DeadlockReport} and {@link StuckReport}.
 *
 * <p>Every field is read and written only by the thread holding the turn (see {@link Context}).
 */
public final class World {

    /** An action's bit for "interrupt this processor" (an ISR preempting its routine). */
    static final int ISR = 1 << 30;

    private final WorldSettings settings;
    private final Strategy strategy;
    private final boolean dispatchAtomic;
    private final List<Context> contexts = new ArrayList<>();
    private final List<ControlledScheduler> machines = new ArrayList<>();
    private final VirtualClock clock = new VirtualClock(this);
    private final EventLog log = new EventLog();
    private final TraceWriter trace;
    private final EnabledSet enabled = new EnabledSet(this);
    private final Waits waits = new Waits(this);
    private final Unwinding unwinding = new Unwinding(this);
    private final SeededChoices choices;
    private final Context test;
    private final Turn turn;
    private final ControlledTaskQueue hardwareQueue;
    private final ContextState hardwareState;

    private int objectIds;
    private String failure;
    private boolean over;

    /**
     * {@code testState} and {@code hardwareState} are what the kernel sees on the test context and on
     * the hardware context (device timers raise interrupts and indicate frames from there).
     */
    World(WorldSettings settings, ContextState testState, ContextState hardwareState) {
        this.settings = settings;
        this.dispatchAtomic = settings.dispatchAtomic();
        this.strategy = settings.replay() != null ? new Replayer(settings.replay()) : Strategy.of(settings);
        this.trace = new TraceWriter(settings, strategy.describe());
        this.choices = new SeededChoices(this, new Faults(settings.seed(), settings.faultRate()));
        this.test = new Context(0, "T", Context.Kind.TEST, testState, null, null);
        contexts.add(test);
        test.turn = true;
        this.turn = new Turn(this, test);
        hardwareQueue = new ControlledTaskQueue(this, "hardware", QueueRole.CLOCK);
        this.hardwareState = hardwareState;
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
        c.thread = ContextThread.bind(this, c, body);
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
            Context hw = newContext("HW", Context.Kind.HARDWARE, hardwareState, null, hardwareQueue, () -> {
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

    // ---- the turn and waits (see Turn, Waits) ------------------------------------------------------

    /** See {@link Turn#enter}. */
    Context enter(String site) {
        return turn.enter(site);
    }

    /** A scheduling point: another context may run before the caller goes on. */
    void yieldPoint(String site) {
        turn.yieldPoint(site);
    }

    /** See {@link Waits#block}. */
    WakeReason block(Context me, Blocker blocker) {
        return waits.block(me, blocker);
    }

    /** Makes a blocked context runnable again with {@code reason}. */
    void wake(Context c, WakeReason reason) {
        waits.wake(c, reason);
    }

    /** A timed wait's deadline passed. */
    void timedOut(Context waiter, Blocker blocker) {
        waits.timedOut(waiter, blocker);
    }

    /** An interrupt of a context's thread: a blocked wait ends, otherwise the next wait does. */
    void interrupt(Context c) {
        waits.interrupt(c);
    }

    /** The calling context's body returned: it ends, and the turn goes on without it. */
    void ended(Context me) {
        waits.ended(me);
    }

    /** Blocks the caller until every context in {@code threads} ended or the watchdog deadline. */
    boolean join(List<Context> targets, long timeoutNanos) {
        return waits.join(targets, timeoutNanos);
    }

    /** Spins, then parks, until {@code me} holds the turn. */
    static void awaitTurn(Context me) {
        Turn.awaitTurn(me);
    }

    /** The index of the context whose step the strategy decides now. */
    int pickingFor() {
        return turn.pickingFor();
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

    ContextAborted aborted(Context me) {
        return new ContextAborted("the deterministic run ended (" + (failure == null ? "finished" : "failed") + ")");
    }

    // ---- virtual time (see VirtualClock) ----------------------------------------------------------

    long now() {
        return clock.now();
    }

    /** A deadline {@code nanos} from now, rounded up to 100 ns; negative: none. */
    long deadline(long nanos) {
        return clock.deadline(nanos);
    }

    TimerEntry schedule(long delayNanos, TimeoutKind kind, Runnable action, ControlledTaskQueue queue) {
        return clock.schedule(delayNanos, kind, action, queue);
    }

    TimerHeap timers() {
        return clock.timers();
    }

    // ---- data choices and faults (see SeededChoices) ---------------------------------------------

    int choose(String what, int bound) {
        return choices.choose(what, bound);
    }

    /** See {@link SeededChoices#fault}. */
    boolean fault(String kind) {
        return choices.fault(kind);
    }

    /** See {@link SeededChoices#faultDelay}. */
    long faultDelay(String kind, long maxNanos) {
        return choices.faultDelay(kind, maxNanos);
    }

    // ---- crashes, failure, the end ----------------------------------------------------------------

    /** A machine bug-checked: its spinners and stallers end their waits (they throw the crash). */
    void crashed(ControlledScheduler machine, String summary) {
        waits.crashed(machine, summary);
    }

    void logEvent(String what) {
        Context c = turn.current();
        log.event(now(), c == null ? "?" : c.id, what);
    }

    /** Ends the run as failed with {@code text} (the first failure wins). */
    void fail(String text) {
        if (failure == null) {
            failure = text;
            log.event(now(), "world", "FAIL " + firstLine(text));
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
        return turn.steps();
    }

    long choiceSteps() {
        return turn.choiceSteps();
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

    Turn turn() {
        return turn;
    }

    VirtualClock clock() {
        return clock;
    }

    EnabledSet enabled() {
        return enabled;
    }

    /**
     * The run is over (the test context's last step returned, or the run failed): fixes the result,
     * then unwinds every context still alive, one at a time, from the calling (JUnit's) thread.
     */
    void end(String testFailure) {
        over = true;
        if (failure == null && turn.uncontrolledCall() != null) {
            failure = turn.uncontrolledCall();
        }
        if (strategy instanceof Replayer r && failure == null) {
            String unfinished = r.unfinished(steps());
            if (unfinished != null) {
                failure = unfinished;
            }
        }
        String result = failure != null ? "fail" : testFailure != null ? "fail" : "pass";
        log.end(result, steps(), now());
        trace.footer(result, failure != null ? failure : testFailure, steps(), choiceSteps(), now(), log);
        if (strategy instanceof Replayer r && failure == null) {
            String mismatch = r.compareOutcome(result, log.sha256());
            if (mismatch != null) {
                failure = mismatch;
            }
        }
        unwinding.unwindAll();
    }

    /** See {@link Unwinding#awaitReleased}. */
    void awaitReleased(Context c) {
        unwinding.awaitReleased(c);
    }

    /** {@code c}'s thread left it for the pool. */
    void released(Context c) {
        unwinding.released(c);
    }
}
