package org.ndis4j.kernel.internal;

/** A thread the kernel created: a processor, a system worker or the clock. */
public final class KernelThread extends Thread {

    private final ThreadContext context;

    public KernelThread(String name, ThreadContext context, Runnable body) {
        super(body, name);
        this.context = context;
        setDaemon(true);
    }

    public ThreadContext context() {
        return context;
    }
}
