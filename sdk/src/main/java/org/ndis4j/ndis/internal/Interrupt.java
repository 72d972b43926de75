package org.ndis4j.ndis.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ndis4j.hw.InterruptLine;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.KDpc;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelLock;
import org.ndis4j.kernel.ProcessorTask;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.ndis.miniport.InterruptHandlers;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.miniport.MiniportSynchronizeInterrupt;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.verifier.AllocationSites;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's interrupt object: a line-based interrupt registered with NdisMRegisterInterruptEx. It
 * connects the device's {@link InterruptLine} to the miniport's {@link InterruptHandlers}.
 *
 * <pre>
 *   device thread            processor n (DIRQL)                processor m (DISPATCH_LEVEL)
 *   line.raise() ──► ISR requested ──► MiniportInterrupt ──► DPC queued ──► MiniportInterruptDPC
 *        │   (one at a time; raises while      (interrupt lock)     (one DPC object per processor:
 *        │    it waits are coalesced)                                 queued at most once there)
 *        └─ no interrupt connected: InterruptLine.unclaimed()
 * </pre>
 *
 * <p><b>Level-triggered delivery.</b> A raise asks for one ISR. While that ISR is requested and has
 * not started, further raises are coalesced into it ({@link #raisesCoalesced()}): the ISR reads a
 * read-to-clear cause register and so sees every cause raised so far, as on a level-triggered line
 * that stays asserted until the cause is cleared. A raise after the ISR started requests another
 * one; if that ISR finds nothing it answers "not recognized" ({@link #interruptsNotRecognized()}).
 * The ISR runs on the processor a raise from a device thread is assigned to (round robin, or the
 * raising processor itself), ahead of any DPC still queued there.
 *
 * <p><b>Deregistration</b> (NdisMDeregisterInterruptEx) disconnects the line, from then on
 * queues no new DPC for this interrupt (NdisMQueueDpcEx returns 0, MoreNblsPending is not honoured),
 * and waits until every ISR and DPC already requested has finished. After it returns, NDIS calls
 * none of the interrupt's handlers again, as the WDK promises.
 */
public final class Interrupt extends NdisInterrupt {

    private static final int CONNECTED = 0;
    private static final int DEREGISTERING = 1;
    private static final int DEREGISTERED = 2;

    private final MiniportAdapter adapter;
    private final InterruptLine line;
    private final Object interruptContext;
    private final InterruptHandlers<Object> handlers;
    /** The interrupt spin lock: held by MiniportInterrupt and by every synchronize function. */
    private final KernelLock interruptLock;
    /** One DPC object per processor (index = processor number), each targeted at its processor. */
    private final KDpc[] dpcs;
    /** One throttle structure per processor: a DPC object runs on one processor at a time. */
    private final ThrottleParameters[] throttles;
    /** True from a raise until its ISR starts: later raises are coalesced into that ISR. */
    private final AtomicBoolean isrRequested = new AtomicBoolean();
    /** ISRs requested and DPCs queued or running; deregistration waits for 0. */
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Guards the state change of deregistration. */
    private final Object drained = new Object();
    /** Set when {@link #outstanding} reaches 0 once deregistration began; made by deregistration. */
    private volatile KEvent drainedEvent;
    /** The ISR's queue entry, made once: an interrupt allocates nothing. */
    private final ProcessorTask isrRunner = new ProcessorTask() {
        @Override
        public Irql irql() {
            return Irql.DIRQL;
        }

        @Override
        public String driver() {
            return driverName();
        }

        @Override
        public void run() {
            serviceInterrupt();
        }
    };

    private volatile int state = CONNECTED;
    private volatile boolean deregistrationWaiting;
    /** Where the driver registered the interrupt, when the kernel records allocation stacks. */
    private final List<String> registeredAt;

    private final AtomicLong serviced = new AtomicLong();
    private final AtomicLong notRecognized = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong dpcRuns = new AtomicLong();

    @SuppressWarnings("unchecked")
    private <C> Interrupt(
            MiniportAdapter adapter, InterruptLine line, C interruptContext, InterruptHandlers<C> handlers) {
        super(adapter.kernel(), adapter.name() + "/interrupt");
        this.adapter = adapter;
        this.line = line;
        this.interruptContext = interruptContext;
        this.handlers = (InterruptHandlers<Object>) handlers;
        Kernel kernel = adapter.kernel();
        this.interruptLock = kernel.newLock(adapter.name() + "/interrupt lock", KernelLock.Kind.SPIN);
        int processors = kernel.processorCount();
        this.dpcs = new KDpc[processors];
        this.throttles = new ThrottleParameters[processors];
        for (int cpu = 0; cpu < processors; cpu++) {
            dpcs[cpu] = kernel.initializeDpc(
                    (KDpc dpc, Integer target, Object miniportDpcContext, Object unused) ->
                            runDpc(target, miniportDpcContext),
                    cpu,
                    adapter.driverName());
            dpcs[cpu].setTargetProcessor(cpu);
            throttles[cpu] = new ThrottleParameters();
        }
        this.registeredAt = AllocationSites.capture(kernel);
    }

    /** Where the driver registered this interrupt, or null when no stack was recorded. */
    AllocationSite registrationSite() {
        return AllocationSites.of(this, registeredAt);
    }

    /**
     * NdisMRegisterInterruptEx, after the entry point checked IRQL: only in MiniportInitializeEx,
     * after the registration attributes, once per adapter (rule Interrupt_RegisterState). From now on
     * a raise of the device's line runs MiniportInterrupt at DIRQL on a processor.
     */
    public static <C> Interrupt register(
            MiniportAdapter adapter, C miniportInterruptContext, InterruptHandlers<C> handlers) {
        if (handlers == null) {
            throw Verifier.violation(
                    adapter.kernel(),
                    Rule.Interrupt_InvalidParameter,
                    0,
                    0,
                    "NdisMRegisterInterruptEx without interrupt characteristics (MiniportInterrupt, MiniportInterruptDPC)");
        }
        Interrupt interrupt =
                new Interrupt(adapter, adapter.resources().interrupt(), miniportInterruptContext, handlers);
        adapter.interruptRegistered(interrupt);
        interrupt.line.connect(interrupt::interruptRaised);
        Trace.log("NdisMRegisterInterruptEx(%s) on %s", adapter.name(), interrupt.line);
        return interrupt;
    }

    @Override
    public String driverName() {
        return adapter.driverName();
    }

    @Override
    public MiniportAdapter adapterHandle() {
        return adapter;
    }

    @Override
    public boolean isRegistered() {
        return state == CONNECTED;
    }

    @Override
    public boolean isDeregistrationWaiting() {
        return deregistrationWaiting;
    }

    @Override
    public long interruptsServiced() {
        return serviced.get();
    }

    @Override
    public long interruptsNotRecognized() {
        return notRecognized.get();
    }

    @Override
    public long raisesCoalesced() {
        return coalesced.get();
    }

    @Override
    public long dpcsRun() {
        return dpcRuns.get();
    }

    @Override
    public boolean isIsrWaitingForLock() {
        return interruptLock.hasWaiters();
    }

    // ---- registration -----------------------------------------------------------------------

    /**
     * NdisMDeregisterInterruptEx, after the entry point checked IRQL: disconnect, then wait until every
     * ISR and DPC already requested has finished; the adapter forgets the interrupt.
     */
    public void deregister() {
        Kernel kernel = kernel();
        synchronized (drained) {
            if (state != CONNECTED) {
                throw Verifier.violation(
                        kernel,
                        Rule.Interrupt_UseAfterDeregister,
                        state,
                        CONNECTED,
                        "NdisMDeregisterInterruptEx on an interrupt that was already deregistered (" + name() + ")",
                        registrationSite());
            }
            drainedEvent = kernel.initializeEvent(false); // before the state: release() may set it at once
            state = DEREGISTERING;
        }
        line.disconnect();
        deregistrationWaiting = outstanding.get() > 0;
        try {
            while (outstanding.get() > 0) {
                kernel.waitFor(
                        "NdisMDeregisterInterruptEx: " + name() + "'s ISRs and DPCs", drainedEvent, -1, WaitKind.WORK);
            }
        } finally {
            deregistrationWaiting = false;
        }
        synchronized (drained) {
            state = DEREGISTERED;
        }
        adapter.interruptDeregistered(this);
        Trace.log("NdisMDeregisterInterruptEx(%s)", name());
    }

    /**
     * MiniportShutdownEx returned: NDIS calls no handler of the adapter any more, so the line is
     * disconnected (a raise from now on is the line's unclaimed count), as power-off does.
     */
    void disconnectAtShutdown() {
        line.disconnect();
    }

    /** Disconnects a leaked interrupt, so that a halted adapter's ISR is not called any more. */
    void disconnectLeaked() {
        state = DEREGISTERED;
        line.disconnect();
    }

    // ---- NdisMQueueDpcEx and NdisMSynchronizeWithInterruptEx ---------------------------------

    /** NdisMQueueDpcEx: the processors where a DPC was queued now. */
    public long queueDpcEx(int messageId, long targetProcessors, Object miniportDpcContext) {
        Kernel kernel = kernel();
        checkUsable("NdisMQueueDpcEx", messageId);
        int processors = dpcs.length;
        if (processors < 64 && (targetProcessors >>> processors) != 0) {
            throw Verifier.violation(
                    kernel,
                    Rule.Interrupt_InvalidParameter,
                    targetProcessors,
                    processors,
                    String.format(
                            "NdisMQueueDpcEx with TargetProcessors 0x%X: the machine has only %d processor(s)",
                            targetProcessors, processors));
        }
        long queued = 0;
        for (long rest = targetProcessors; rest != 0; rest &= rest - 1) {
            int cpu = Long.numberOfTrailingZeros(rest);
            if (queueDpc(cpu, miniportDpcContext)) {
                queued |= 1L << cpu;
            }
        }
        return queued;
    }

    /** NdisMSynchronizeWithInterruptEx: runs {@code function} at DIRQL holding the interrupt lock. */
    public <C> boolean synchronize(int messageId, MiniportSynchronizeInterrupt<C> function, C context) {
        Kernel kernel = kernel();
        checkUsable("NdisMSynchronizeWithInterruptEx", messageId);
        if (function == null) {
            throw Verifier.violation(
                    kernel,
                    Rule.Interrupt_InvalidParameter,
                    0,
                    0,
                    "NdisMSynchronizeWithInterruptEx without a synchronize function (" + name() + ")");
        }
        if (interruptLock.isHeldByCurrentThread()) {
            throw Verifier.violation(
                    kernel,
                    Rule.Interrupt_InvalidParameter,
                    1,
                    0,
                    "NdisMSynchronizeWithInterruptEx from inside " + name() + "'s own MiniportInterrupt or "
                            + "synchronize function: it already holds the interrupt lock (a real processor deadlocks)");
        }
        kernel.switchPoint("NdisMSynchronizeWithInterruptEx");
        Irql old = Ke.raiseIrql(Irql.DIRQL);
        try {
            interruptLock.spinLock();
        } catch (RuntimeException crashed) {
            Ke.lowerIrql(old);
            throw crashed;
        }
        try {
            return function.run(context);
        } finally {
            interruptLock.unlock();
            Ke.lowerIrql(old);
        }
    }

    private void checkUsable(String function, int messageId) {
        if (state == DEREGISTERED) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Interrupt_UseAfterDeregister,
                    state,
                    CONNECTED,
                    function + " on an interrupt that was deregistered (" + name() + ")",
                    registrationSite());
        }
        if (messageId != 0) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Interrupt_InvalidParameter,
                    messageId,
                    0,
                    function + " with MessageId " + messageId + " on a line-based interrupt; it must be 0 (" + name()
                            + ")");
        }
    }

    // ---- delivery ---------------------------------------------------------------------------

    /** The line's sink: on the device's thread. Never blocks, never runs driver code. */
    private void interruptRaised() {
        if (!isrRequested.compareAndSet(false, true)) {
            coalesced.incrementAndGet();
            return;
        }
        outstanding.incrementAndGet();
        Kernel kernel = kernel();
        if (state != CONNECTED || kernel.isCrashed()) {
            isrRequested.set(false);
            release();
            return;
        }
        kernel.runOnProcessor(kernel.currentOrNextProcessor(), isrRunner);
    }

    /** On a processor at DIRQL. */
    private void serviceInterrupt() {
        // From here a raise asks for another ISR: the line is sampled again.
        isrRequested.set(false);
        try {
            MiniportInterruptResult result;
            interruptLock.spinLock();
            try {
                result = handlers.interrupt(interruptContext);
            } finally {
                interruptLock.unlock();
            }
            if (result == null) {
                throw Verifier.violation(
                        kernel(),
                        Rule.Interrupt_InvalidParameter,
                        2,
                        0,
                        "MiniportInterrupt of " + name() + " returned null; return a MiniportInterruptResult "
                                + "(e.g. NOT_RECOGNIZED)");
            }
            if (!result.interruptRecognized()) {
                notRecognized.incrementAndGet();
            }
            serviced.incrementAndGet(); // after notRecognized: a reader that sees this sees both
            if (result.queueDefaultInterruptDpc()) {
                queueDpc(Ke.getCurrentProcessorNumber(), null);
            } else if (result.targetProcessors() != 0) {
                queueDpcEx(0, result.targetProcessors(), null);
            }
        } finally {
            release();
        }
    }

    /** Queues this interrupt's DPC on {@code cpu}; false if it is queued there already or deregistering. */
    private boolean queueDpc(int cpu, Object miniportDpcContext) {
        outstanding.incrementAndGet();
        if (state != CONNECTED) {
            release();
            return false;
        }
        boolean queued = false;
        try {
            queued = kernel().insertQueueDpc(dpcs[cpu], miniportDpcContext, null);
            return queued;
        } finally {
            if (!queued) {
                release();
            }
        }
    }

    /** The DPC object's routine, at DISPATCH_LEVEL on {@code cpu}. */
    private void runDpc(int cpu, Object miniportDpcContext) {
        ThrottleParameters throttle = throttles[cpu];
        throttle.prepare(MAX_NBLS_TO_INDICATE);
        try {
            handlers.interruptDpc(interruptContext, miniportDpcContext, throttle);
            dpcRuns.incrementAndGet();
            if (throttle.moreNblsPending()) {
                queueDpc(cpu, miniportDpcContext); // receive side throttle: run again
            }
        } finally {
            release();
        }
    }

    private void release() {
        if (outstanding.decrementAndGet() == 0 && state != CONNECTED) {
            drainedEvent.set();
        }
    }
}
