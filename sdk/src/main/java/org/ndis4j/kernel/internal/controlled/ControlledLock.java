package org.ndis4j.kernel.internal.controlled;

import java.util.ArrayList;
import java.util.List;
import org.ndis4j.kernel.internal.LockKind;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * A lock under the world. A contender is a blocked context: a spinner keeps its IRQL and processor
 * (the enabled set sees it still occupying the processor), a mutex or engine contender just waits.
 * Letting go wakes every contender; they race again for it in the strategy's order.
 */
final class ControlledLock implements Scheduler.SeamLock {

    private final World world;
    private final String id;
    private final String name;
    private final LockKind kind;
    private final List<Context> waiters = new ArrayList<>();
    private Context owner;

    ControlledLock(World world, String name, LockKind kind) {
        this.world = world;
        this.name = name;
        this.kind = kind;
        this.id = "LOCK#" + world.nextObjectId();
    }

    String id() {
        return id;
    }

    Context owner() {
        return owner;
    }

    String describe() {
        return id + (name == null ? "" : " '" + name + "'");
    }

    @Override
    public void lock() {
        Context me = world.enter("acquire " + id);
        while (owner != null) {
            waitFor(me);
        }
        take(me);
    }

    @Override
    public void spin(Runnable check) {
        Context me = world.enter("acquire " + id);
        while (owner != null) {
            WakeReason w = waitFor(me);
            if (w != WakeReason.READY) {
                check.run(); // a crash ends the spin by throwing
            }
        }
        take(me);
    }

    private WakeReason waitFor(Context me) {
        if (owner == me) {
            throw new IllegalStateException(id + " is not reentrant: " + me.id + " holds it already");
        }
        waiters.add(me);
        return world.block(me, new Blocker(Blocker.Kind.LOCK, this, null, Long.MAX_VALUE, TimeoutKind.WORK));
    }

    private void take(Context me) {
        owner = me;
        if (kind == LockKind.ENGINE) {
            me.engineLocks++;
        }
    }

    @Override
    public boolean tryLock() {
        Context me = world.enter("try " + id);
        if (owner != null) {
            return false;
        }
        take(me);
        return true;
    }

    @Override
    public void unlock() {
        Context me = world.enter("release " + id);
        if (owner != me) {
            throw new IllegalMonitorStateException(id + " released by " + me.id + ", which does not hold it");
        }
        owner = null;
        if (kind == LockKind.ENGINE) {
            me.engineLocks--;
        }
        while (!waiters.isEmpty()) {
            world.wake(waiters.get(0), WakeReason.READY); // removes it from the list
        }
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return owner != null && owner.thread == Thread.currentThread();
    }

    @Override
    public boolean isLocked() {
        return owner != null;
    }

    @Override
    public boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    void notWaiting(Context c) {
        waiters.remove(c);
    }
}
