package org.ndis4j.kernel.internal.controlled;

import java.util.ArrayList;
import java.util.List;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TimeoutKind;

/** A notification event under the world: a waiter is a blocked context; set wakes every waiter. */
final class ControlledEvent implements Scheduler.Waitable {

    private final World world;
    private final String id;
    private final String name;
    private final List<Context> waiters = new ArrayList<>();
    private boolean signaled;

    ControlledEvent(World world, boolean signaled, String name) {
        this.world = world;
        this.signaled = signaled;
        this.name = name;
        this.id = "EV#" + world.nextObjectId();
    }

    String id() {
        return id;
    }

    String describe() {
        return id + (name == null ? "" : " '" + name + "'") + (signaled ? " (set)" : "");
    }

    @Override
    public void set() {
        world.enter("KeSetEvent");
        signaled = true;
        while (!waiters.isEmpty()) {
            world.wake(waiters.get(0), WakeReason.READY); // removes it from the list
        }
    }

    @Override
    public void reset() {
        world.enter("KeClearEvent");
        signaled = false;
    }

    @Override
    public boolean isSet() {
        return signaled;
    }

    @Override
    public boolean await(String what, long timeoutNanos, TimeoutKind kind) throws InterruptedException {
        Context me = world.enter("KeWaitForSingleObject");
        if (signaled) {
            return true;
        }
        if (timeoutNanos == 0) {
            return false;
        }
        waiters.add(me);
        WakeReason w = world.block(
                me,
                new Blocker(Blocker.Kind.EVENT, this, what != null ? what : name, world.deadline(timeoutNanos), kind));
        if (w == WakeReason.INTERRUPTED) {
            throw new InterruptedException();
        }
        return signaled;
    }

    void notWaiting(Context c) {
        waiters.remove(c);
    }
}
