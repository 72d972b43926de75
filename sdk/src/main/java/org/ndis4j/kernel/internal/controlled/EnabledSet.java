package org.ndis4j.kernel.internal.controlled;

import java.util.Arrays;
import java.util.List;

/**
 * Which contexts may take the next step, under the rules a Windows machine keeps (docs/deterministic.md):
 * <ul>
 *   <li>a processor in a routine (a DPC or ISR switched out at a scheduling point) may go on; with
 *       an interrupt pending and below DIRQL it may also be interrupted (the ISR runs nested);</li>
 *   <li>an idle processor runs a pending interrupt unless a thread at DIRQL holds it, a pending DPC
 *       only when no thread holds it;</li>
 *   <li>a thread at DISPATCH_LEVEL or above occupies a processor of its machine (the lowest free one
 *       when it first rises) and runs only while that processor is in no routine;</li>
 *   <li>a thread at PASSIVE_LEVEL runs only while some processor of its machine is free: in no
 *       routine, held by no thread, with nothing queued — on one processor, PASSIVE code never runs
 *       inside a DPC or ISR;</li>
 *   <li>a thread holding NDIS's engine lock may always run (it would otherwise block a processor that
 *       waits for that lock); the clocks and the hardware run whenever they are runnable.</li>
 * </ul>
 * Blocked and ended contexts are never enabled.
 */
final class EnabledSet {

    private static final int DISPATCH = 2;
    private static final int DIRQL = 5;

    private final World world;
    private int[] actions = new int[16];
    private int count;

    EnabledSet(World world) {
        this.world = world;
    }

    int[] actions() {
        return actions;
    }

    int action(int i) {
        return actions[i];
    }

    /** Recomputes the set; returns its size. */
    int compute() {
        count = 0;
        List<Context> contexts = world.contexts();
        for (ControlledScheduler m : world.machines()) {
            Arrays.fill(m.heldBy, null);
        }
        for (Context c : contexts) {
            if ((c.kind == Context.Kind.WORKER || c.kind == Context.Kind.TEST) && !c.ended) {
                ControlledScheduler m = machineOf(c);
                if (m == null || c.state.irqlLevel() < DISPATCH) {
                    c.heldProcessor = -1;
                    continue;
                }
                if (c.heldProcessor < 0 || c.heldProcessor >= m.processorCount()) {
                    c.heldProcessor = m.freeProcessor();
                }
                m.heldBy[c.heldProcessor] = c;
            }
        }
        for (Context c : contexts) {
            if (!c.runnable()) {
                continue;
            }
            switch (c.kind) {
                case PROCESSOR -> processor(c);
                case WORKER, TEST -> thread(c);
                case CLOCK, HARDWARE -> add(c.index);
            }
        }
        return count;
    }

    private void processor(Context c) {
        ControlledScheduler m = c.machine;
        int p = c.state.processorNumber();
        Context holder = m.heldBy[p];
        int irql = c.state.irqlLevel();
        if (irql >= DISPATCH) {
            add(c.index);
            if (!world.dispatchAtomic() && irql < DIRQL && c.queue.interrupts() > 0) {
                add(c.index | World.ISR);
            }
            return;
        }
        if (c.queue.size() == 0) {
            add(c.index); // woken to stop
        } else if (c.queue.interrupts() > 0) {
            if (holder == null || holder.state.irqlLevel() < DIRQL) {
                add(c.index);
            }
        } else if (holder == null) {
            add(c.index);
        }
    }

    private void thread(Context c) {
        ControlledScheduler m = machineOf(c);
        if (m == null || c.engineLocks > 0) {
            add(c.index);
            return;
        }
        if (c.heldProcessor >= 0) {
            if (!m.inRoutine(c.heldProcessor)) {
                add(c.index);
            }
            return;
        }
        for (int p = 0; p < m.processorCount(); p++) {
            if (m.heldBy[p] == null && !m.inRoutine(p) && m.pending(p) == 0) {
                add(c.index);
                return;
            }
        }
    }

    private ControlledScheduler machineOf(Context c) {
        int tag = c.state.machineTag();
        List<ControlledScheduler> machines = world.machines();
        return tag >= 1 && tag <= machines.size() ? machines.get(tag - 1) : null;
    }

    private void add(int action) {
        if (count == actions.length) {
            actions = Arrays.copyOf(actions, count * 2);
        }
        actions[count++] = action;
    }
}
