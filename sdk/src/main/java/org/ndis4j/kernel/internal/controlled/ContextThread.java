package org.ndis4j.kernel.internal.controlled;

import org.ndis4j.kernel.internal.ContextAborted;
import org.ndis4j.kernel.internal.KernelThread;

/**
 * The platform thread of one context: it waits for its first turn, runs the context's body, and
 * gives the turn on when the body returns. Its interrupts go to the world, which ends the context's
 * wait in its own order.
 */
final class ContextThread extends KernelThread {

    private final World world;
    private final Context context;
    private final Runnable body;

    ContextThread(World world, Context context, Runnable body) {
        super("det-" + context.id, context.state, null);
        this.world = world;
        this.context = context;
        this.body = body;
        routeInterrupts(t -> world.interrupt(context));
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
