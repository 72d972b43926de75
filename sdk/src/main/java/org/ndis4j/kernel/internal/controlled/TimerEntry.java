package org.ndis4j.kernel.internal.controlled;

import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * Something due on the virtual clock: an action for a clock or hardware context's queue (a timer's
 * expiry, a device timer), or the end of a context's timed wait.
 */
final class TimerEntry implements Scheduler.ScheduledTask, Runnable {

    private static final int PENDING = 0;
    private static final int QUEUED = 1;
    private static final int DONE = 2;
    private static final int CANCELLED = 3;

    final World world;
    final long deadline;
    /** Creation order: ties at one deadline go in it. */
    final long sequence;

    final TimeoutKind kind;
    /** The action and the queue it goes to when due; null for a wait's end. */
    final Runnable action;

    final ControlledTaskQueue queue;
    /** The context whose wait ends when due; null for an action. */
    final Context waiter;

    final Blocker blocker;
    int heapIndex = -1;
    private int state = PENDING;

    private TimerEntry(
            World world,
            long deadline,
            long sequence,
            TimeoutKind kind,
            Runnable action,
            ControlledTaskQueue queue,
            Context waiter,
            Blocker blocker) {
        this.world = world;
        this.deadline = deadline;
        this.sequence = sequence;
        this.kind = kind;
        this.action = action;
        this.queue = queue;
        this.waiter = waiter;
        this.blocker = blocker;
    }

    static TimerEntry action(
            World world, long deadline, long sequence, TimeoutKind kind, Runnable action, ControlledTaskQueue queue) {
        return new TimerEntry(world, deadline, sequence, kind, action, queue, null, null);
    }

    static TimerEntry wake(World world, long deadline, long sequence, Context waiter, Blocker blocker) {
        return new TimerEntry(world, deadline, sequence, blocker.deadlineKind, null, null, waiter, blocker);
    }

    boolean isLive() {
        return state == PENDING;
    }

    /** Due: an action goes to its queue, a wait ends. Called by the world as the clock reaches it. */
    void deliver() {
        if (state != PENDING) {
            return;
        }
        if (waiter != null) {
            state = DONE;
            world.timedOut(waiter, blocker);
        } else {
            state = QUEUED;
            queue.addDue(this);
        }
    }

    @Override
    public void run() {
        if (state == QUEUED) {
            state = DONE;
            action.run();
        }
    }

    @Override
    public boolean cancel() {
        world.enter("cancel a timer");
        return cancelQuietly();
    }

    /** The world's own cancel (a wait ended before its deadline). */
    boolean cancelQuietly() {
        switch (state) {
            case PENDING -> {
                state = CANCELLED;
                world.timers().cancelled(this);
                return true;
            }
            case QUEUED -> {
                state = CANCELLED;
                queue.remove(this);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    boolean before(TimerEntry other) {
        return deadline < other.deadline || (deadline == other.deadline && sequence < other.sequence);
    }
}
