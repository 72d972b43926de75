package org.ndis4j.kernel.internal.controlled;

import java.util.List;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * Contexts blocking and waking: a context blocks on a {@link Blocker} (a queue, an event, a lock, a
 * join, a sleep or stall, with or without a deadline on the virtual clock) and gives up the turn; a
 * wake takes it off the waiter lists and makes it runnable with a {@link WakeReason}. Interrupts,
 * crashes and a context's end wake waiters too. Apart from {@link World} because this is the
 * waiters' bookkeeping; which runnable context runs next is the {@link Turn}'s business.
 *
 * <p>Read and written only by the thread holding the turn, as all of the world.
 */
final class Waits {

    private final World world;

    Waits(World world) {
        this.world = world;
    }

    /**
     * Blocks the calling context on {@code blocker} until it is woken (or its deadline passes) and
     * holds the turn again; returns why it runs.
     */
    WakeReason block(Context me, Blocker blocker) {
        if (world.isOver()) {
            throw world.aborted(me);
        }
        if (me.pendingInterrupt && blocker.kind != Blocker.Kind.STALL && blocker.kind != Blocker.Kind.LOCK) {
            me.pendingInterrupt = false;
            me.blocker = blocker;
            wake(me, WakeReason.INTERRUPTED); // leaves the waiter lists the caller joined
            return WakeReason.INTERRUPTED;
        }
        VirtualClock clock = world.clock();
        me.blocker = blocker;
        me.blockedSince = clock.now();
        me.wake = null;
        if (blocker.hasDeadline()) {
            me.wakeTimer = TimerEntry.wake(world, blocker.deadline, clock.nextSequence(), me, blocker);
            clock.timers().add(me.wakeTimer);
        }
        world.turn().step(me, blocker.site());
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
            world.strategy().yielded(c.index); // a poll ran out: it waited for the others to get on
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
        world.enter("interrupt " + c.id);
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
        for (Context c : world.contexts()) {
            if (c.blocker != null && c.blocker.kind == Blocker.Kind.JOIN && joinedAll(c.blocker)) {
                wake(c, WakeReason.READY);
            }
        }
        world.turn().passOnFromEnded(me);
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
        Context me = world.enter("join");
        Blocker b = new Blocker(
                Blocker.Kind.JOIN, targets, null, world.clock().deadline(timeoutNanos), TimeoutKind.WATCHDOG);
        if (joinedAll(b)) {
            return true;
        }
        block(me, b);
        return joinedAll(b);
    }

    /** A machine bug-checked: its spinners and stallers end their waits (they throw the crash). */
    void crashed(ControlledScheduler machine, String summary) {
        world.log().event(world.now(), "K" + machine.machineTag(), "BUGCHECK " + summary);
        for (Context c : world.contexts()) {
            if (c.blocker != null
                    && (c.blocker.kind == Blocker.Kind.STALL || c.blocker.kind == Blocker.Kind.LOCK)
                    && c.state.machineTag() == machine.machineTag()) {
                wake(c, WakeReason.CRASHED);
            }
        }
    }
}
