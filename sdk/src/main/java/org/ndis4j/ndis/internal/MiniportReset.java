package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.ClockTask;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.kernel.WorkQueueType;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportResetResult;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's check-for-hang and reset of one miniport adapter, as NDIS 6 does them:
 *
 * <pre>
 *  clock, every CheckForHangTimeInSeconds (default 2 s)
 *    └► work item (PASSIVE_LEVEL, DelayedWorkQueue)   adapter Paused, Restarting, Running or Pausing; no reset
 *         MiniportCheckForHangEx → TRUE?                          (if the driver has it)
 *         an OID request the miniport holds, seen at two ticks?    (NDIS's own watch)
 *         sends outstanding and none completed for two ticks?      (NDIS's own watch)
 *         └► any of them, and the driver has MiniportResetEx:
 *              NDIS_STATUS_RESET_START up the stack; OID requests held back
 *              MiniportResetEx at DISPATCH_LEVEL ─► a final status ─┐
 *                                                ─► PENDING ─ … ─ NdisMResetComplete
 *              the OID request the miniport held at the start must be done (Reset_OidRequestPending)
 *              AddressingReset: NDIS sets the packet filter and the multicast list again (OID requests)
 *              NDIS_STATUS_RESET_END up the stack; OID requests flow again
 * </pre>
 *
 * The adapter's state does not change. Sends keep going to the miniport during a reset (the driver
 * completes or queues them). The watchdog times MiniportCheckForHangEx and the whole reset, pending
 * included (ndis4j's codes 0xA4 and 0xA3). NDIS calls MiniportResetEx at DISPATCH_LEVEL (the WDK
 * allows IRQL &lt;= DISPATCH_LEVEL; ndis4j takes the highest so that a reset that waits is caught).
 * Check-for-hang starts when MiniportInitializeEx succeeds and stops before halt, shutdown and a
 * surprise removal; a reset in progress ends before NDIS halts the adapter.
 */
public final class MiniportReset {

    private enum Stage {
        IDLE,
        /** MiniportResetEx runs. */
        CALLING,
        /** NdisMResetComplete came while MiniportResetEx ran (legal only if it then returns PENDING). */
        COMPLETED_EARLY,
        /** MiniportResetEx returned PENDING; NdisMResetComplete is awaited. */
        PENDING
    }

    private final MiniportAdapter adapter;
    private final Runnable check = this::checkForHang;

    /** Guards every field below. */
    private final Object lock = new Object();

    private boolean checksForHang;
    private boolean resets;
    private long periodNanos;
    /** The check-for-hang timer runs (between start and stop). */
    private boolean running;

    private ClockTask timer;
    /** MiniportCheckForHangEx (or NDIS's own checks) runs now. */
    private boolean checking;

    private Stage stage = Stage.IDLE;
    private NdisStatus earlyStatus;
    private boolean earlyAddressingReset;
    private NdisWatchdog.Watch resetWatch;
    /** Set while nothing runs: no check, no reset. Stop waits for it. */
    private KEvent idle;

    private int checksMade;
    private int resetsStarted;
    private NdisStatus lastResetStatus;

    /** Only remembers the adapter: the adapter's own fields are not set yet when this is built. */
    MiniportReset(MiniportAdapter adapter) {
        this.adapter = adapter;
    }

    private Kernel kernel() {
        return adapter.kernel();
    }

    @SuppressWarnings("unchecked")
    private MiniportDriver<Object> characteristics() {
        return adapter.driver().characteristics();
    }

    /**
     * MiniportInitializeEx succeeded: NDIS starts calling MiniportCheckForHangEx every
     * CheckForHangTimeInSeconds, if the driver has it or has MiniportResetEx (NDIS's own checks of
     * OID requests and sends lead to a reset too).
     */
    void start(MiniportAdapterRegistrationAttributes registration) {
        MiniportDriver<Object> driver = characteristics();
        boolean hang = OptionalHandlers.overrides(driver, "checkForHangEx", 1);
        boolean reset = OptionalHandlers.overrides(driver, "resetEx", 1);
        synchronized (lock) {
            idle = kernel().initializeEvent(true);
            checksForHang = hang;
            resets = reset;
            if (!hang && !reset) {
                return; // NDIS has nothing to call
            }
            periodNanos = registration.checkForHangSeconds() * 1_000_000_000L;
            running = true;
            timer = kernel().schedule(periodNanos, WaitKind.WORK, this::expired);
        }
        Trace.log("%s: check-for-hang every %d s", adapter.name(), registration.checkForHangSeconds());
    }

    /**
     * Before halt, shutdown or a surprise removal, at PASSIVE_LEVEL: no check-for-hang from now on;
     * waits until a check that runs and a reset in progress have ended (the watchdog times the reset).
     */
    void stop() {
        KEvent wait;
        synchronized (lock) {
            running = false;
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            wait = checking || stage != Stage.IDLE ? idle : null;
        }
        if (wait != null) {
            kernel().waitFor("check-for-hang and reset of " + adapter.name() + " to end", wait, -1, WaitKind.WORK);
        }
    }

    /** How many check-for-hang ticks ran (MiniportCheckForHangEx called, when the driver has it). */
    public int checksMade() {
        synchronized (lock) {
            return checksMade;
        }
    }

    /** How many resets NDIS started on this adapter. */
    public int resetsStarted() {
        synchronized (lock) {
            return resetsStarted;
        }
    }

    /** The status the last reset ended with, or null before the first one ended. */
    public NdisStatus lastResetStatus() {
        synchronized (lock) {
            return lastResetStatus;
        }
    }

    /** True while a reset is in progress. */
    public boolean isResetting() {
        synchronized (lock) {
            return stage != Stage.IDLE;
        }
    }

    // ---- check for hang ----------------------------------------------------------------------

    /** On the clock: the period passed; the check runs at PASSIVE_LEVEL on a system worker. */
    private void expired() {
        synchronized (lock) {
            timer = null;
            if (!running || kernel().isCrashed()) {
                return;
            }
        }
        kernel().queueWorkItem(WorkQueueType.DelayedWorkQueue, null, check);
    }

    /** At PASSIVE_LEVEL on a DelayedWorkQueue thread (NDIS's own work item). */
    private void checkForHang() {
        synchronized (lock) {
            if (!running || stage != Stage.IDLE) {
                scheduleNextLocked();
                return;
            }
            checking = true;
            checksMade++;
            idle.reset();
        }
        try {
            String why = hung();
            boolean reset;
            synchronized (lock) {
                reset = why != null && resets && running;
            }
            if (reset) {
                startReset(why);
            } else if (why != null) {
                Trace.log("%s: %s, and the driver has no MiniportResetEx", adapter.name(), why);
            }
        } finally {
            synchronized (lock) {
                checking = false;
                updateIdleLocked();
                scheduleNextLocked();
            }
        }
    }

    /** Why the adapter looks hung now, or null. */
    private String hung() {
        AdapterState state = adapter.state();
        if (state != AdapterState.Paused
                && state != AdapterState.Restarting
                && state != AdapterState.Running
                && state != AdapterState.Pausing) {
            return null;
        }
        boolean driverSays = false;
        if (checksForHang) {
            Object context = adapter.context();
            driverSays = adapter.timed(
                    WatchedOperation.MINIPORT_CHECK_FOR_HANG,
                    0,
                    () -> DriverCalls.call(
                            adapter.driverName(), () -> characteristics().checkForHangEx(context)));
        }
        String oid = adapter.oidBroker().checkForHangTick();
        String sends = adapter.dataPath().checkForHangTick();
        if (driverSays) {
            return "MiniportCheckForHangEx returned TRUE";
        }
        return oid != null ? oid : sends;
    }

    private void scheduleNextLocked() {
        if (running && timer == null && !kernel().isCrashed()) {
            timer = kernel().schedule(periodNanos, WaitKind.WORK, this::expired);
        }
    }

    private void updateIdleLocked() {
        if (!checking && stage == Stage.IDLE) {
            idle.set();
        }
    }

    // ---- reset -------------------------------------------------------------------------------

    /** At PASSIVE_LEVEL, from the check-for-hang work item. */
    private void startReset(String why) {
        synchronized (lock) {
            stage = Stage.CALLING;
            resetsStarted++;
            idle.reset();
        }
        Trace.log("%s: %s: NDIS resets the adapter (MiniportResetEx)", adapter.name(), why);
        adapter.oidBroker().resetStarted();
        adapter.indicateFromNdis(new NdisStatusIndication(adapter, NdisStatus.RESET_START, null));
        NdisWatchdog.Watch watch = adapter.watch(WatchedOperation.MINIPORT_RESET, 0);
        synchronized (lock) {
            resetWatch = watch;
        }
        Object context = adapter.context();
        MiniportResetResult result;
        Irql before = Ke.raiseIrql(Irql.DISPATCH_LEVEL); // ndis4j calls MiniportResetEx at DISPATCH_LEVEL
        try {
            result = DriverCalls.call(
                    adapter.driverName(), () -> characteristics().resetEx(context));
        } finally {
            Ke.lowerIrql(before);
        }
        NdisStatus status;
        boolean addressingReset;
        synchronized (lock) {
            if (result == null) {
                throw Verifier.violation(
                        kernel(),
                        Rule.Reset_Completion,
                        1,
                        0,
                        adapter.name()
                                + ": MiniportResetEx returned null; it returns an NDIS_STATUS and AddressingReset");
            }
            if (result.status() == NdisStatus.PENDING) {
                if (stage != Stage.COMPLETED_EARLY) {
                    stage = Stage.PENDING;
                    Trace.log("%s: MiniportResetEx -> PENDING", adapter.name());
                    return; // NdisMResetComplete finishes it
                }
                status = earlyStatus;
                addressingReset = earlyAddressingReset;
            } else if (stage == Stage.COMPLETED_EARLY) {
                throw Verifier.violation(
                        kernel(),
                        Rule.Reset_Completion,
                        2,
                        result.status().code(),
                        adapter.name() + ": MiniportResetEx called NdisMResetComplete and then returned "
                                + result.status() + "; NdisMResetComplete is only for a reset that returns "
                                + "NDIS_STATUS_PENDING");
            } else {
                status = result.status();
                addressingReset = result.addressingReset();
            }
        }
        finish(status, addressingReset);
    }

    /** NdisMResetComplete, after the entry point checked IRQL. */
    public void complete(NdisStatus status, boolean addressingReset) {
        synchronized (lock) {
            switch (stage) {
                case IDLE, COMPLETED_EARLY ->
                    throw kernel().bugCheck(
                                    BugCheckCode.BUGCODE_NDIS_DRIVER,
                                    0x0F,
                                    kernel().pointerOf(adapter),
                                    status == null ? 0 : status.code(),
                                    addressingReset ? 1 : 0,
                                    null,
                                    "NDIS_BUGCHECK_RESET_COMPLETE_UNEXPECTED: " + adapter.name()
                                            + ": NdisMResetComplete(" + status + ") without a reset pending"
                                            + (stage == Stage.COMPLETED_EARLY
                                                    ? " (it completed this reset already)"
                                                    : ""));
                case CALLING -> {
                    checkStatus(status);
                    stage = Stage.COMPLETED_EARLY;
                    earlyStatus = status;
                    earlyAddressingReset = addressingReset;
                    return;
                }
                case PENDING -> checkStatus(status);
            }
        }
        finish(status, addressingReset);
    }

    private void checkStatus(NdisStatus status) {
        if (status == null || status == NdisStatus.PENDING) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Reset_Completion,
                    3,
                    status == null ? 0 : status.code(),
                    adapter.name() + ": NdisMResetComplete with status " + status
                            + "; the completion carries the reset's final status");
        }
    }

    /**
     * The reset ended with {@code status}: the OID request the miniport held when it began must be
     * done (NDIS 6.30), NDIS restores the addressing if asked, tells the stack, and lets OID requests
     * flow again.
     */
    private void finish(NdisStatus status, boolean addressingReset) {
        NdisWatchdog.Watch watch;
        synchronized (lock) {
            watch = resetWatch;
            resetWatch = null;
        }
        if (watch != null) {
            watch.stop();
        }
        boolean operational = status == NdisStatus.SUCCESS || status == NdisStatus.SOFT_ERRORS;
        String held = adapter.oidBroker().resetEnded(operational && addressingReset);
        if (held != null) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Reset_OidRequestPending,
                    0,
                    0,
                    adapter.name() + ": the reset completed with " + status + " while the miniport still held "
                            + held + "; since NDIS 6.30 a miniport completes the OID requests (and sends) it "
                            + "holds before its reset completes");
        }
        Trace.log(
                "%s: reset complete: %s%s",
                adapter.name(),
                status,
                operational && addressingReset ? ", NDIS restores the packet filter and multicast list" : "");
        adapter.indicateFromNdis(new NdisStatusIndication(adapter, NdisStatus.RESET_END, status));
        synchronized (lock) {
            stage = Stage.IDLE;
            lastResetStatus = status;
            updateIdleLocked();
        }
    }
}
