package org.ndis4j.kernel.internal.controlled;

import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * The run's virtual time: the clock, the timers due on it (actions for a queue, ends of timed
 * waits) and the jump to the next one when nothing can run. Apart from {@link World} because time
 * moves only at its own rule (nothing enabled, a WORK timer due, or any timer under FIRE_WATCHDOGS),
 * which the turn asks about but does not decide.
 *
 * <p>Read and written only by the thread holding the turn, as all of the world.
 */
final class VirtualClock {

    private final World world;
    private final TimerHeap timers = new TimerHeap();

    private long now;
    /** Creation order of timers: ties at one deadline go in it. */
    private long sequence;

    VirtualClock(World world) {
        this.world = world;
    }

    long now() {
        return now;
    }

    /** The sequence number of the next timer. */
    long nextSequence() {
        return ++sequence;
    }

    TimerHeap timers() {
        return timers;
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
        TimerEntry e = TimerEntry.action(world, deadline(Math.max(0, delayNanos)), ++sequence, kind, action, queue);
        timers.add(e);
        return e;
    }

    /**
     * Nothing can run: delivers the earliest timer (a WORK one, or any under FIRE_WATCHDOGS) and
     * what is due with it. False when time may not move.
     */
    boolean advance() {
        WorldSettings settings = world.settings();
        if (timers.isEmpty() || (!timers.hasWork() && !settings.fireWatchdogs())) {
            return false;
        }
        TimerEntry first = timers.poll();
        if (first.deadline > now) {
            now = first.deadline;
            if (now > settings.maxVirtualNanos()) {
                world.fail("virtual time passed " + EventLog.seconds(settings.maxVirtualNanos())
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
}
