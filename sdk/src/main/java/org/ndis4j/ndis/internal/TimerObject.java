package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.ClockTask;
import org.ndis4j.kernel.KDpc;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.HandleKind;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.ndis.types.NdisTimer;
import org.ndis4j.ndis.types.NdisTimerFunction;
import org.ndis4j.verifier.FaultInjection;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's timer object (NdisAllocateTimerObject). When it fires, the clock queues its DPC and the
 * timer function runs at DISPATCH_LEVEL on a processor. Periodic timers re-arm themselves.
 */
public final class TimerObject extends NdisTimer {

    private final NdisHandle owner;
    private final MiniportAdapter adapter;
    private final NdisTimerFunction<Object> function;
    private final KDpc dpc;
    /** Guards the fields below. */
    private final Object lock = new Object();

    private ClockTask armed;
    private long generation;
    private int periodMillis;
    private Object functionContext;
    private boolean freed;

    @SuppressWarnings("unchecked")
    private <C> TimerObject(
            NdisHandle owner, MiniportAdapter adapter, NdisTimerFunction<C> function, C allocationContext) {
        super(owner.kernel(), owner.name() + "/timer");
        this.owner = owner;
        this.adapter = adapter;
        this.function = (NdisTimerFunction<Object>) function;
        this.functionContext = allocationContext;
        this.dpc = owner.kernel().initializeDpc(this::expired, null, owner.driverName());
    }

    /**
     * NdisAllocateTimerObject, after the entry point checked IRQL. Null when fault injection fails the
     * allocation. A timer allocated with an adapter handle must be freed by the end of MiniportHaltEx.
     */
    public static <C> TimerObject allocate(NdisHandle owner, NdisTimerFunction<C> timerFunction, C functionContext) {
        Kernel kernel = owner.kernel();
        if (timerFunction == null) {
            throw Verifier.violation(kernel, Rule.Handle_Invalid, 0, 0, "NdisAllocateTimerObject without a function");
        }
        if (FaultInjection.of(kernel).shouldFail(FaultInjection.Allocation.TIMER_OBJECT)) {
            return null;
        }
        MiniportAdapter adapter =
                owner.kind() == HandleKind.MINIPORT_ADAPTER ? Handles.adapter(owner, "NdisAllocateTimerObject") : null;
        TimerObject timer = new TimerObject(owner, adapter, timerFunction, functionContext);
        if (adapter != null) {
            adapter.allocations().timerAllocated(timer);
        }
        return timer;
    }

    @Override
    public NdisHandle owner() {
        return owner;
    }

    @Override
    public String driverName() {
        return owner.driverName();
    }

    @Override
    public boolean isSet() {
        synchronized (lock) {
            return armed != null;
        }
    }

    /**
     * NdisSetTimerObject, after the entry point checked IRQL: {@code dueTime100ns} negative is
     * relative, positive absolute (interrupt time); returns true when the timer was already set.
     */
    public boolean set(long dueTime100ns, int millisecondsPeriod, Object context) {
        Kernel kernel = kernel();
        if (millisecondsPeriod < 0) {
            throw Verifier.violation(
                    kernel, Rule.Handle_Invalid, millisecondsPeriod, 0, "NdisSetTimerObject with a negative period");
        }
        long delayNanos = dueTime100ns < 0 ? -dueTime100ns * 100 : Math.max(0, dueTime100ns * 100 - kernel.nanoTime());
        synchronized (lock) {
            checkNotFreed("NdisSetTimerObject");
            boolean wasSet = cancelLocked();
            periodMillis = millisecondsPeriod;
            if (context != null) {
                functionContext = context;
            }
            long gen = ++generation;
            armed = kernel.schedule(delayNanos, () -> fire(gen));
            return wasSet;
        }
    }

    /** NdisCancelTimerObject: true when the timer was set and is now cancelled. */
    public boolean cancel() {
        synchronized (lock) {
            checkNotFreed("NdisCancelTimerObject");
            return cancelLocked();
        }
    }

    /** NdisFreeTimerObject: the timer must not be set (TimerObject_Leak). */
    public void free() {
        synchronized (lock) {
            checkNotFreed("NdisFreeTimerObject");
            if (armed != null) {
                throw Verifier.violation(
                        kernel(),
                        Rule.TimerObject_Leak,
                        1,
                        0,
                        "NdisFreeTimerObject on a timer that is still set; cancel it first (" + name() + ")");
            }
            freed = true;
        }
        if (adapter != null) {
            adapter.allocations().timerFreed(this);
        }
    }

    private boolean cancelLocked() {
        generation++;
        boolean wasSet = armed != null;
        if (armed != null) {
            armed.cancel();
            armed = null;
        }
        return Ke.removeQueueDpc(dpc) || wasSet;
    }

    private void checkNotFreed(String function) {
        if (freed) {
            throw Verifier.violation(
                    kernel(), Rule.Handle_Invalid, 0, 0, function + " on a freed timer (" + name() + ")");
        }
    }

    /** On the clock thread: queue the DPC, unless cancelled meanwhile. */
    private void fire(long gen) {
        synchronized (lock) {
            if (gen != generation || kernel().isCrashed()) {
                return;
            }
            if (periodMillis > 0) {
                armed = kernel().schedule(periodMillis * 1_000_000L, () -> fire(gen));
            } else {
                armed = null;
            }
        }
        Ke.insertQueueDpc(dpc, gen, null);
    }

    /** The timer's DPC, at DISPATCH_LEVEL. */
    private void expired(KDpc self, Object unused, Object gen, Object unused2) {
        Object context;
        synchronized (lock) {
            if ((Long) gen != generation || freed) {
                return;
            }
            context = functionContext;
        }
        function.run(context, this);
    }
}
