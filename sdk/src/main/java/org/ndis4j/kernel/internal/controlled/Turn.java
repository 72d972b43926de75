package org.ndis4j.kernel.internal.controlled;

import java.util.concurrent.locks.LockSupport;

/**
 * The turn: which context runs, and how it passes at a scheduling point. The running context counts
 * the step, computes the enabled actions ({@link EnabledSet}), asks the strategy when there is more
 * than one (a choice step, traced), moves the clock when there is none, and keeps the turn or hands
 * it on and parks until it gets it back. Apart from {@link World} because this is the one loop every
 * scheduling point runs through; the world only holds what the loop reads.
 *
 * <p>Read and written only by the thread holding the turn, except the volatile {@code current}
 * (a thread outside the run reads it to find that it is not the one) and {@code uncontrolledCall}
 * (that thread's call, kept for the end of the run).
 */
final class Turn {

    private static final int SPINS_BEFORE_PARK = 64;

    private final World world;
    /** The lock audit, or null (the default). */
    private final LockAudit lockAudit = LockAudit.ifEnabled();

    private volatile Context current;
    /** The first call from a thread outside the run; written by that thread, read at the end. */
    private volatile String uncontrolledCall;

    private long steps;
    private long choiceSteps;
    /** The context whose step the strategy decides now (it reached the point, or ended). */
    private int pickingFor;

    /** {@code first} holds the turn already (the test context). */
    Turn(World world, Context first) {
        this.world = world;
        this.current = first;
    }

    /** The context holding the turn, or null once the run has unwound. */
    Context current() {
        return current;
    }

    long steps() {
        return steps;
    }

    long choiceSteps() {
        return choiceSteps;
    }

    /** The index of the context whose step the strategy decides now. */
    int pickingFor() {
        return pickingFor;
    }

    /** The message of the first call from a thread outside the run, or null. */
    String uncontrolledCall() {
        return uncontrolledCall;
    }

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
        if (world.isOver()) {
            throw world.aborted(me);
        }
        if (world.dispatchAtomic() && me.state.irqlLevel() >= 2) {
            return; // DISPATCH callbacks run to completion at this granularity
        }
        step(me, site);
    }

    /** One step of {@code me} at {@code site}: the turn may pass, and comes back before this returns. */
    void step(Context me, String site) {
        steps++;
        me.lastSite = site;
        if (lockAudit != null && !world.isOver()) {
            String held = lockAudit.check(me.id, site);
            if (held != null) {
                world.fail(held);
            }
        }
        if (steps > world.settings().maxSteps()) {
            world.fail(
                    "the run took more than " + world.settings().maxSteps() + " steps (a livelock, or raise maxSteps)");
        }
        world.log().step(world.now(), me.id, site);
        Context next = pick(me, site);
        if (next == null) {
            throw world.aborted(me); // the run failed (a deadlock): the test context unwinds
        }
        if (next != me) {
            handTo(next);
            awaitTurn(me);
        }
        if (me.abort) {
            throw world.aborted(me);
        }
        if (me.isrRequested) {
            me.isrRequested = false;
            Runnable isr = me.queue.pollInterrupt();
            world.log().event(world.now(), me.id, "interrupt preempts " + site);
            me.state.runPreempting(isr);
            step(me, "ISR returned");
        }
    }

    /** {@code me}'s body returned (and it left its waits): the turn goes on without it. */
    void passOnFromEnded(Context me) {
        Context test = world.test();
        if (me.abort || me == test) {
            return; // the world's end unwinds it, or the test context stops after the run
        }
        if (world.isOver()) {
            test.abort = true; // a context died: the test context unwinds its step
            handTo(test);
            return;
        }
        steps++;
        world.log().step(world.now(), me.id, "end");
        Context next = pick(me, "end");
        if (next != null) {
            handTo(next);
        }
    }

    /**
     * The context (with a requested interrupt, for an ISR action) that runs next, or null when the
     * run has failed; moves the clock when nothing can run.
     */
    private Context pick(Context me, String site) {
        pickingFor = me.index;
        EnabledSet enabled = world.enabled();
        for (; ; ) {
            if (world.isOver()) {
                return handToTestOnFailure(me);
            }
            int count = enabled.compute();
            if (count == 0) {
                if (world.clock().advance()) {
                    continue;
                }
                world.fail(DeadlockReport.of(world, me));
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
                    i = world.strategy().pick(actions, count, steps, choiceSteps, me.id, site, world);
                } catch (ReplayDivergence d) {
                    world.fail(d.getMessage());
                    return handToTestOnFailure(me);
                }
                chosen = actions[i];
                world.trace().step(steps, choiceSteps, world.now(), me.id, site, world, actions, count, chosen);
                world.log().choice(choiceSteps, world.actionId(chosen));
            }
            Context next = world.contexts().get(chosen & ~World.ISR);
            if ((chosen & World.ISR) != 0) {
                next.isrRequested = true;
            }
            if (!next.runnable()) {
                throw new IllegalStateException("the enabled set chose " + next.id + ", which cannot run");
            }
            return next;
        }
    }

    /** After a failure: the test context gets the turn to unwind its step; null if that is the caller. */
    private Context handToTestOnFailure(Context me) {
        Context test = world.test();
        if (me == test) {
            return null;
        }
        test.abort = true;
        handTo(test);
        awaitTurn(me); // only the world's end gives it back, with abort set
        throw world.aborted(me);
    }

    /** Gives the turn to {@code next} and wakes its thread; the caller's turn ends. */
    void handTo(Context next) {
        Context me = current;
        current = next;
        if (me != null && me != next) {
            me.turn = false;
        }
        next.turn = true;
        LockSupport.unpark(next.thread);
    }

    /**
     * The run is over: {@code c} gets the turn to unwind (the caller is outside the run and keeps
     * no turn); with null, no context holds it any more.
     */
    void grantForUnwind(Context c) {
        current = c;
        if (c != null) {
            c.turn = true;
            LockSupport.unpark(c.thread);
        }
    }

    /** Spins a little, then parks, until {@code me} holds the turn. */
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
}
