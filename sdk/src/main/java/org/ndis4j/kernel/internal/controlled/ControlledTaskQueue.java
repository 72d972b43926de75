package org.ndis4j.kernel.internal.controlled;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.ndis4j.kernel.internal.QueueRole;
import org.ndis4j.kernel.internal.TaskQueue;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * A run queue under the world: its takers block as contexts. Adding wakes the lowest-numbered
 * blocked taker (idle workers of one pool are interchangeable: waking one is enough). Interrupts
 * ({@link #addFirst}) stay in front and are counted, for the enabled set's rules.
 */
final class ControlledTaskQueue implements TaskQueue {

    /** A delayed work item (a seeded fault) becomes takeable up to this much after it was queued. */
    static final long DELAYED_WORK_MAX_NANOS = 5_000_000;

    private final World world;
    private final String name;
    private final QueueRole role;
    private final ArrayDeque<Runnable> items = new ArrayDeque<>();
    /** The takers blocked on it, in context order. */
    private final List<Context> waiters = new ArrayList<>();

    private int interrupts;
    private Context server;

    ControlledTaskQueue(World world, String name, QueueRole role) {
        this.world = world;
        this.name = name;
        this.role = role;
    }

    String name() {
        return name;
    }

    QueueRole role() {
        return role;
    }

    boolean hasServer() {
        return server != null;
    }

    void serveBy(Context c) {
        server = c;
    }

    @Override
    public void add(Runnable task) {
        world.enter("queue to " + name);
        if (role == QueueRole.WORKERS) {
            long late = world.faultDelay("delayed-work-item", DELAYED_WORK_MAX_NANOS);
            if (late > 0) {
                world.schedule(late, TimeoutKind.WORK, task, this); // takeable once the clock gets there
                return;
            }
        }
        items.addLast(task);
        wakeOne();
    }

    @Override
    public void addFirst(Runnable task) {
        world.enter("interrupt on " + name);
        items.addFirst(task);
        interrupts++;
        wakeOne();
    }

    /** A timer came due: its action goes to the back. */
    void addDue(TimerEntry entry) {
        items.addLast(entry);
        wakeOne();
    }

    /** A due timer was cancelled before its context ran it. */
    void remove(TimerEntry entry) {
        items.remove(entry);
    }

    @Override
    public Runnable take() throws InterruptedException {
        Context me = world.enter("take from " + name);
        if (!me.tookOnce) {
            me.tookOnce = true; // woken from the block it was created in
            if (me.wake == WakeReason.INTERRUPTED) {
                me.wake = null;
                throw new InterruptedException();
            }
        } else if (me.pendingInterrupt) {
            me.pendingInterrupt = false;
            throw new InterruptedException();
        } else if (!items.isEmpty()) {
            world.yieldPoint("take"); // the end of one routine and the start of the next
        }
        while (items.isEmpty()) {
            waiting(me);
            WakeReason w =
                    world.block(me, new Blocker(Blocker.Kind.QUEUE, this, null, Long.MAX_VALUE, TimeoutKind.WORK));
            if (w == WakeReason.INTERRUPTED) {
                throw new InterruptedException();
            }
        }
        if (interrupts > 0) {
            interrupts--;
        }
        return items.pollFirst();
    }

    /** The first interrupt, for an ISR that preempts the routine its processor runs. */
    Runnable pollInterrupt() {
        interrupts--;
        return items.pollFirst();
    }

    @Override
    public int size() {
        return items.size();
    }

    int interrupts() {
        return interrupts;
    }

    void waiting(Context c) {
        if (waiters.contains(c)) {
            return;
        }
        int i = 0;
        while (i < waiters.size() && waiters.get(i).index < c.index) {
            i++;
        }
        waiters.add(i, c);
    }

    void notWaiting(Context c) {
        waiters.remove(c);
    }

    private void wakeOne() {
        if (!waiters.isEmpty()) {
            world.wake(waiters.get(0), WakeReason.READY);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
