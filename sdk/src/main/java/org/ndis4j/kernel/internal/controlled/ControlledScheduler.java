package org.ndis4j.kernel.internal.controlled;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ndis4j.kernel.internal.ContextState;
import org.ndis4j.kernel.internal.KernelThread;
import org.ndis4j.kernel.internal.LockKind;
import org.ndis4j.kernel.internal.QueueRole;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TaskQueue;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * One machine's face of a world: the kernel's {@link Scheduler} seam, with the machine's processors,
 * workers and clock as contexts of the world, its time the world's virtual clock.
 */
public final class ControlledScheduler implements Scheduler {

    /** The time of day a run starts at (crash reports): fixed, so that reports do not vary. */
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    /** A late timer (a seeded fault) fires up to this much after its due time. */
    static final long LATE_TIMER_MAX_NANOS = 10_000_000;

    private final World world;
    private final int tag;
    private final List<Context> processors = new ArrayList<>();
    private final Map<String, Integer> workersPerQueue = new HashMap<>();
    private final ControlledTaskQueue clockQueue;
    private final Context clock;
    /** Per processor, the thread at DISPATCH_LEVEL or above that occupies it (the enabled set's scratch). */
    Context[] heldBy = new Context[0];

    private boolean shut;

    ControlledScheduler(World world, ContextState clockState) {
        this.world = world;
        world.attach(this);
        this.tag = world.machineCount();
        this.clockQueue = new ControlledTaskQueue(world, "K" + tag + " clock", QueueRole.CLOCK);
        this.clock =
                world.newContext("K" + tag + "/CLK", Context.Kind.CLOCK, clockState, this, clockQueue, this::clockLoop);
        clockQueue.serveBy(clock);
    }

    private void clockLoop() {
        while (!shut) {
            Runnable r;
            try {
                r = clockQueue.take();
            } catch (InterruptedException e) {
                continue;
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                world.logEvent("clock action ended with " + e.getClass().getSimpleName()); // as an executor would
            }
        }
    }

    int processorCount() {
        return processors.size();
    }

    boolean inRoutine(int p) {
        return processors.get(p).state.irqlLevel() >= 2;
    }

    int pending(int p) {
        return processors.get(p).queue.size();
    }

    /** The lowest processor in no routine and held by no thread, else the lowest. */
    int freeProcessor() {
        for (int p = 0; p < processors.size(); p++) {
            if (heldBy[p] == null && !inRoutine(p)) {
                return p;
            }
        }
        return 0;
    }

    @Override
    public long nanoTime() {
        return world.now();
    }

    @Override
    public Instant wallClock() {
        return EPOCH.plusNanos(world.now());
    }

    @Override
    public KernelThread startThread(String name, ContextState state, TaskQueue serves, Runnable body) {
        world.enter("start " + name);
        ControlledTaskQueue queue = (ControlledTaskQueue) serves;
        Context c;
        int cpu = state.processorNumber();
        if (cpu >= 0) {
            c = world.newContext("K" + tag + "/CPU" + cpu, Context.Kind.PROCESSOR, state, this, queue, body);
            while (processors.size() <= cpu) {
                processors.add(null);
            }
            processors.set(cpu, c);
            heldBy = Arrays.copyOf(heldBy, processors.size());
        } else {
            String prefix = queue == null
                    ? "X"
                    : queue.name().startsWith("Critical") ? "W" : queue.name().startsWith("Delayed") ? "D" : "X";
            int n = workersPerQueue.merge(prefix, 1, Integer::sum) - 1;
            c = world.newContext("K" + tag + "/" + prefix + n, Context.Kind.WORKER, state, this, queue, body);
        }
        c.thread.setName("det-" + c.id + " " + name); // the kernel's name too: what a test sees as "the thread"
        return c.thread;
    }

    @Override
    public boolean awaitTermination(List<KernelThread> threads, long timeoutNanos) {
        List<Context> targets = new ArrayList<>();
        for (KernelThread t : threads) {
            if (t instanceof ContextThread ct) {
                targets.add(ct.worldContext());
            }
        }
        return world.join(targets, timeoutNanos);
    }

    @Override
    public TaskQueue newTaskQueue(String name, QueueRole role) {
        return new ControlledTaskQueue(world, name, role);
    }

    @Override
    public ScheduledTask schedule(long delayNanos, TimeoutKind kind, Runnable action) {
        world.enter("schedule on K" + tag + "'s clock");
        if (shut) {
            return () -> false;
        }
        if (kind == TimeoutKind.WORK) {
            delayNanos += world.faultDelay("late-timer", LATE_TIMER_MAX_NANOS);
        }
        return world.schedule(delayNanos, kind, action, clockQueue);
    }

    @Override
    public Waitable newEvent(boolean signaled, String name) {
        world.enter("KeInitializeEvent");
        return new ControlledEvent(world, signaled, name);
    }

    @Override
    public SeamLock newLock(String name, LockKind kind) {
        world.enter("allocate a lock");
        return new ControlledLock(world, name, kind);
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        Context me = world.enter("sleep");
        long over = nanos > 0 ? world.faultDelay("oversleep", nanos) : 0;
        WakeReason w = world.block(
                me, new Blocker(Blocker.Kind.SLEEP, null, null, world.deadline(nanos + over), TimeoutKind.WORK));
        if (w == WakeReason.INTERRUPTED) {
            throw new InterruptedException();
        }
    }

    @Override
    public void stall(long nanos, Runnable check) {
        Context me = world.enter("stall");
        long end = world.deadline(nanos);
        while (world.now() < end) {
            WakeReason w = world.block(me, new Blocker(Blocker.Kind.STALL, null, null, end, TimeoutKind.WORK));
            check.run(); // a crash ends the stall by throwing; an interrupt alone does not
            if (w == WakeReason.TIMED_OUT) {
                break;
            }
        }
    }

    @Override
    public void switchPoint(String site) {
        world.yieldPoint(site);
    }

    @Override
    public int choose(String what, int bound) {
        return world.choose(what, bound);
    }

    @Override
    public void machineCrashed(String summary) {
        world.crashed(this, summary);
    }

    @Override
    public int machineTag() {
        return tag;
    }

    @Override
    public boolean isControlled() {
        return true;
    }

    @Override
    public void shutdown() {
        world.enter("shut K" + tag + "'s clock down");
        shut = true;
        world.interrupt(clock);
    }
}
