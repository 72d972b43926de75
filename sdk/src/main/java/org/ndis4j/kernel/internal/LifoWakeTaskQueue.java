package org.ndis4j.kernel.internal;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threaded scheduler's run queue: tasks in FIFO order, idle threads woken in LIFO order.
 *
 * <p>A queue served by several interchangeable threads (a worker pool) wakes the thread that went
 * idle last, the one most likely still warm on a processor, instead of the one idle longest (what a
 * {@code LinkedBlockingDeque} or a {@code ThreadPoolExecutor} does). On a machine with fewer cores
 * than workers this keeps a lone work item on one hot thread instead of cycling through all of
 * them. The order of tasks is untouched: FIFO, with {@link #addFirst} in front. A thread is woken
 * outside the lock, so it does not wake up only to block on it.
 */
final class LifoWakeTaskQueue implements TaskQueue {

    /** An idle thread. {@code woken} is set (under the lock) by the producer that pops it. */
    private static final class Waiter {
        final Thread thread;
        volatile boolean woken;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    /** Guards tasks and idle. */
    private final ReentrantLock lock = new ReentrantLock();

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** Idle threads; the head is the one that went idle last. */
    private final ArrayDeque<Waiter> idle = new ArrayDeque<>();

    @Override
    public void add(Runnable task) {
        put(task, false);
    }

    @Override
    public void addFirst(Runnable task) {
        put(task, true);
    }

    @Override
    public void addWithoutWake(Runnable task, boolean first) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        lock.lock();
        try {
            if (first) {
                tasks.addFirst(task);
            } else {
                tasks.addLast(task);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Runnable poll() {
        lock.lock();
        try {
            return tasks.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    private void put(Runnable task, boolean first) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        Waiter wake;
        lock.lock();
        try {
            if (first) {
                tasks.addFirst(task);
            } else {
                tasks.addLast(task);
            }
            wake = idle.pollFirst();
            if (wake != null) {
                wake.woken = true;
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            LockSupport.unpark(wake.thread);
        }
    }

    @Override
    public Runnable take() throws InterruptedException {
        Waiter me = null;
        for (; ; ) {
            lock.lock();
            try {
                Runnable task = tasks.pollFirst();
                if (task != null) {
                    return task;
                }
                if (me == null) {
                    me = new Waiter(Thread.currentThread());
                }
                me.woken = false;
                idle.addFirst(me);
            } finally {
                lock.unlock();
            }
            // Either a producer saw us in idle (and will set woken and unpark), or we saw its task.
            while (!me.woken) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    Waiter next = null;
                    lock.lock();
                    try {
                        if (!idle.remove(me) && !tasks.isEmpty()) {
                            next = idle.pollFirst(); // we were woken for a task: hand it on
                            if (next != null) {
                                next.woken = true;
                            }
                        }
                    } finally {
                        lock.unlock();
                    }
                    if (next != null) {
                        LockSupport.unpark(next.thread);
                    }
                    throw new InterruptedException();
                }
            }
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return tasks.size();
        } finally {
            lock.unlock();
        }
    }
}
