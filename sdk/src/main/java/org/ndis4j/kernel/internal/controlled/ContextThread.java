package org.ndis4j.kernel.internal.controlled;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.ndis4j.kernel.internal.ContextAborted;
import org.ndis4j.kernel.internal.KernelThread;

/**
 * The platform thread of one context, taken from a JVM-wide pool: it waits for its first turn, runs
 * the context's body, gives the turn on when the body returns, and goes back to the pool for the
 * next run's context. Starting and joining a thread per context per run cost more than the run
 * itself (0.8–2.8 ms per boot, docs/performance.md); a pooled thread costs one unpark. Its
 * interrupts go to the world, which ends the context's wait in its own order.
 */
final class ContextThread extends KernelThread {

    /** Idle threads kept beyond this many end instead (a burst of parallel worlds shrinks back). */
    private static final int MAX_IDLE = 64;

    private static final ArrayDeque<ContextThread> IDLE = new ArrayDeque<>();
    private static final AtomicInteger CREATED = new AtomicInteger();
    private static final String IDLE_NAME = "det-pool-idle";

    /** The job: written by {@link #bind} before {@link #assigned}, read by this thread after it. */
    private World world;

    private Context context;
    private Runnable body;
    private volatile boolean assigned;

    private ContextThread() {
        super(IDLE_NAME, NoState.INSTANCE, null);
        CREATED.incrementAndGet();
    }

    /** A thread (an idle pooled one, else a new one) that runs {@code body} as {@code context} of {@code world}. */
    static ContextThread bind(World world, Context context, Runnable body) {
        ContextThread t;
        synchronized (IDLE) {
            t = IDLE.pollFirst();
        }
        boolean fresh = t == null;
        if (fresh) {
            t = new ContextThread();
        }
        t.world = world;
        t.context = context;
        t.body = body;
        t.rebind(context.state);
        t.setName("det-" + context.id);
        t.routeInterrupts(x -> world.interrupt(context));
        t.assigned = true;
        if (fresh) {
            t.start();
        } else {
            LockSupport.unpark(t);
        }
        return t;
    }

    /** How many pooled threads this JVM has made (for tests and benchmarks: it stops growing). */
    static int created() {
        return CREATED.get();
    }

    /** Where {@code t} was thrown (the first frames), so the run's failure says where without a log. */
    private static String frames(Throwable t) {
        StringBuilder sb = new StringBuilder();
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < Math.min(stack.length, 12); i++) {
            sb.append("\n    at ").append(stack[i]);
        }
        return sb.toString();
    }

    World world() {
        return world;
    }

    Context worldContext() {
        return context;
    }

    @Override
    public void run() {
        for (; ; ) {
            while (!assigned) {
                LockSupport.park(this);
            }
            Thread.interrupted(); // nothing of an earlier run carries over
            World w = world;
            Context c = context;
            runContext(w, c, body);
            world = null;
            context = null;
            body = null;
            rebind(NoState.INSTANCE);
            setName(IDLE_NAME); // a thread dump shows it as what it is now
            routeInterrupts(x -> {}); // a closed kernel's stale reference reaches nothing
            assigned = false;
            boolean keep;
            synchronized (IDLE) {
                keep = IDLE.size() < MAX_IDLE;
                if (keep) {
                    IDLE.addFirst(this); // the most recently run first: its stack is warm
                }
            }
            w.released(c); // after the push: whoever waited for it finds it in the pool
            if (!keep) {
                return;
            }
        }
    }

    private static void runContext(World world, Context context, Runnable body) {
        try {
            World.awaitTurn(context);
            if (!context.abort) {
                body.run();
            }
        } catch (ContextAborted aborted) {
            // The run is over: this context unwound.
        } catch (Throwable t) {
            world.fail(context.id + " ended with " + t + frames(t));
        } finally {
            try {
                world.ended(context);
            } catch (ContextAborted aborted) {
                // Ended while the run failed: nothing more to do.
            }
        }
    }
}
