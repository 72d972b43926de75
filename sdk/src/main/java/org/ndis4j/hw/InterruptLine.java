package org.ndis4j.hw;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A device's interrupt line, as the bus wires it between the device and the kernel.
 *
 * <p>The device {@link #raise() raises} it from any thread (a Netty I/O thread, a timer); it never
 * calls driver code itself. The kernel {@link #connect(Sink) connects} the line when a miniport
 * registers its interrupt and delivers each raise to the miniport's ISR on a processor: the
 * processor's own thread, or (opt-in: docs/kernel.md, "Interrupts on the raising thread"), when that
 * processor is idle and the raising thread runs no driver code, the raising thread itself, as that
 * processor. So a raise may return only after the ISR and its DPC ran: raise outside any lock the
 * driver's routines take.
 * A raise while nothing is connected is counted as {@linkplain #unclaimed() unclaimed} and lost,
 * as on a real bus where the line is masked.
 */
public final class InterruptLine {

    /** The kernel side of the line. */
    @FunctionalInterface
    public interface Sink {
        /**
         * The device raised the line. Called on the device's thread; never waits for another thread,
         * but may run the ISR and its DPCs on this one before it returns.
         */
        void interruptRaised();
    }

    private final String name;
    private volatile Sink sink;
    private final AtomicLong raised = new AtomicLong();
    private final AtomicLong unclaimed = new AtomicLong();

    public InterruptLine(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Device side: signals an interrupt. */
    public void raise() {
        raised.incrementAndGet();
        Sink target = sink;
        if (target == null) {
            unclaimed.incrementAndGet();
        } else {
            target.interruptRaised();
        }
    }

    /** Kernel side: connects the line to an interrupt object. */
    public void connect(Sink target) {
        if (target == null) {
            throw new IllegalArgumentException("sink");
        }
        synchronized (this) {
            if (sink != null) {
                throw new IllegalStateException("interrupt line " + name + " is already connected");
            }
            sink = target;
        }
    }

    /** Kernel side: disconnects the line; later raises are unclaimed. */
    public synchronized void disconnect() {
        sink = null;
    }

    public boolean isConnected() {
        return sink != null;
    }

    /** How many times the device raised the line. */
    public long raised() {
        return raised.get();
    }

    /** Raises that found no interrupt object connected. */
    public long unclaimed() {
        return unclaimed.get();
    }

    @Override
    public String toString() {
        return "InterruptLine[" + name + "]";
    }
}
