package org.ndis4j.nic;

import java.util.PriorityQueue;

/**
 * A {@link DeviceTimer} in virtual time for deterministic tests: time stands still until
 * {@link #advance(long)} moves it, and due tasks run on the advancing thread, in deadline order
 * (ties in scheduling order), each seeing {@link #nanoTime()} equal to its deadline.
 */
public final class ManualDeviceTimer implements DeviceTimer {

    private record Scheduled(long deadline, long sequence, Runnable task) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled other) {
            int byDeadline = Long.compare(deadline, other.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }

    /** Guards now, sequence, queue and closed. */
    private final Object lock = new Object();

    private long now;
    private long sequence;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private boolean closed;

    @Override
    public long nanoTime() {
        synchronized (lock) {
            return now;
        }
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        synchronized (lock) {
            if (!closed) {
                queue.add(new Scheduled(now + Math.max(0, delayNanos), sequence++, task));
            }
        }
    }

    /** Moves time forward by {@code nanos}, running every task that falls due on the way. */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward: " + nanos);
        }
        long target;
        synchronized (lock) {
            target = now + nanos;
        }
        for (; ; ) {
            Scheduled due;
            synchronized (lock) {
                Scheduled next = queue.peek();
                if (next == null || next.deadline > target) {
                    now = target;
                    return;
                }
                due = queue.poll();
                now = due.deadline;
            }
            due.task.run();
        }
    }

    /** Tasks scheduled and not yet run. */
    public int pendingTasks() {
        synchronized (lock) {
            return queue.size();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            queue.clear();
        }
    }
}
