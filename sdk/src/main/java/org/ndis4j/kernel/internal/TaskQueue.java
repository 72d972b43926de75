package org.ndis4j.kernel.internal;

/** The run queue of a processor, a worker pool or a clock: unbounded, many producers, its owners take. */
public interface TaskQueue {

    void add(Runnable task);

    /** Puts the task before everything queued (an interrupt before the DPCs). */
    void addFirst(Runnable task);

    /** Blocks for the next task. */
    Runnable take() throws InterruptedException;

    int size();
}
