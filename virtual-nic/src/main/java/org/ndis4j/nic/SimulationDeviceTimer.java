package org.ndis4j.nic;

import java.util.ArrayList;
import java.util.List;
import org.ndis4j.kernel.ClockTask;
import org.ndis4j.kernel.Simulation;

/**
 * The device's timers on a deterministic run's virtual clock: a task runs on the run's hardware
 * context when virtual time reaches it, so interrupt moderation and PHY access times are part of the
 * seeded schedule. The default timer of a {@link VirtualNic} built inside a run.
 */
public final class SimulationDeviceTimer implements DeviceTimer {

    private final Simulation simulation;
    /** Scheduled and not yet run; only the run's contexts touch it, one at a time. */
    private final List<Pending> pending = new ArrayList<>();

    private boolean closed;

    public SimulationDeviceTimer(Simulation simulation) {
        this.simulation = simulation;
    }

    @Override
    public long nanoTime() {
        return simulation.nanoTime();
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        if (closed) {
            return;
        }
        Pending p = new Pending(task);
        pending.add(p);
        p.handle = simulation.deviceTimer(delayNanos, p);
    }

    @Override
    public void close() {
        closed = true;
        for (Pending p : pending) {
            p.handle.cancel();
        }
        pending.clear();
    }

    private final class Pending implements Runnable {
        private final Runnable task;
        private ClockTask handle;

        Pending(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            pending.remove(this);
            if (!closed) {
                task.run();
            }
        }
    }
}
