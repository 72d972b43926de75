package org.ndis4j.kernel.internal;

/** The run queue of a processor, a worker pool or a clock: unbounded, many producers, its owners take. */
public interface TaskQueue {

    void add(Runnable task);

    /** Puts the task before everything queued (an interrupt before the DPCs). */
    void addFirst(Runnable task);

    /**
     * Adds a task without waking a thread that waits for one: the caller runs the queue's tasks
     * itself (a raising thread that runs an idle processor, queuing the DPC of the ISR it runs).
     */
    default void addWithoutWake(Runnable task, boolean first) {
        if (first) {
            addFirst(task);
        } else {
            add(task);
        }
    }

    /** Blocks for the next task. */
    Runnable take() throws InterruptedException;

    /**
     * The next task, or null when there is none; never blocks. Only the threaded scheduler's queues
     * have it: only there does a raising thread drain a processor's queue.
     */
    default Runnable poll() {
        throw new UnsupportedOperationException("only a threaded run queue is drained by a raising thread");
    }

    int size();
}
