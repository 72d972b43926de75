package org.ndis4j.ndis.internal;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisDevicePnPEvent;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.miniport.NdisShutdownAction;
import org.ndis4j.ndis.miniport.NetDevicePnPEvent;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.registry.AdapterConfiguration;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's side of one miniport adapter (the miniport block behind its MiniportAdapterHandle): the
 * state machine, and when each NDIS call the miniport makes on the adapter is allowed. The rest is
 * delegated, one concern each: the attributes set in MiniportInitializeEx ({@link
 * AdapterAttributes}), the pending pause/restart handshake ({@link PauseRestartCompletion}), status
 * indications and the link state ({@link AdapterStatusIndications}), what halt waits for and checks
 * ({@link AdapterHaltAccounting}), check-for-hang and reset ({@link MiniportReset}), OID requests
 * ({@link OidBroker}), the stack above ({@link AdapterStack}) and the data path ({@link
 * MiniportDataPath}); the methods that only hand on to them are the adapter handle's surface, which
 * the NDIS entry points resolve. Lifecycle methods run at PASSIVE_LEVEL on a system thread (see
 * {@link PlugAndPlay}); each call NDIS waits for is timed by NDIS's watchdog ({@link NdisWatchdog}).
 *
 * <pre>
 *  addDevice   Halted ─► Initializing ─► Paused ─► Restarting ─► Running
 *  remove      Running ─► Pausing ─► Paused ─► MiniportHaltEx ─► (work items done) ─► Halted
 *  surprise    MiniportDevicePnPEventNotify(SurpriseRemoved) ─► the remove path, NdisHaltDeviceSurpriseRemoved
 *  shutdown    Paused | Restarting | Running | Pausing ─► MiniportShutdownEx ─► Shutdown (nothing after)
 *  reset       any of those four: MiniportResetEx; the state does not change ({@link MiniportReset})
 * </pre>
 */
public final class MiniportAdapter extends NdisMiniportAdapterHandle {

    private final MiniportDriverBlock driver;
    private final DeviceResources resources;
    private final int ifIndex;
    private final Kernel kernel;
    private final AdapterStatusIndications indications;
    private final AdapterHaltAccounting accounting;
    /** The adapter's driver key: what the host configured, and what the miniport wrote since. */
    private final RegistryKey registry;

    private final NdisWatchdog watchdog;
    private final PauseRestartCompletion completion = new PauseRestartCompletion(this);
    private final AdapterAttributes attributes = new AdapterAttributes(this);

    /** Guards every field below. */
    private final Object lock = new Object();

    private AdapterState state = AdapterState.Halted;
    private boolean haltReturned;
    /** MiniportShutdownEx returned: NDIS calls no handler of the adapter any more. */
    private volatile boolean shutDown;
    /** MiniportDevicePnPEventNotify(NdisDevicePnPEventSurpriseRemoved) was called. */
    private volatile boolean surpriseRemoved;

    MiniportAdapter(
            MiniportDriverBlock driver, DeviceResources resources, int ifIndex, AdapterConfiguration configuration) {
        super(driver.kernel(), driver.name() + "/" + resources.deviceName());
        this.driver = driver;
        this.resources = resources;
        this.ifIndex = ifIndex;
        this.kernel = driver.kernel();
        this.indications = new AdapterStatusIndications(this);
        this.accounting = new AdapterHaltAccounting(this, new AdapterAllocations(kernel, name(), resources.memory()));
        this.registry = new RegistryKey(name() + "\\DriverKey", configuration);
        this.watchdog = NdisWatchdog.of(kernel);
    }

    @Override
    public String driverName() {
        return driver.driverName();
    }

    /** The miniport driver that runs this adapter. */
    public MiniportDriverBlock driver() {
        return driver;
    }

    /** The adapter's registry key (NdisOpenConfigurationEx with the adapter handle opens it). */
    RegistryKey registry() {
        return registry;
    }

    /** The resources the bus assigned the device. */
    public DeviceResources resources() {
        return resources;
    }

    public int ifIndex() {
        return ifIndex;
    }

    public AdapterState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The driver's adapter context from its registration attributes, or null before they are set. */
    public Object context() {
        return attributes.context();
    }

    /** The link state NDIS last saw (initial general attributes, then indications). */
    public NdisLinkState linkState() {
        return indications.linkState();
    }

    MiniportAdapterGeneralAttributes generalAttributes() {
        return attributes.general();
    }

    /** True once MiniportShutdownEx returned: the adapter is Shutdown and NDIS calls it no more. */
    public boolean isShutDown() {
        return shutDown;
    }

    /** True once NDIS told the miniport that its NIC was surprise-removed. */
    public boolean isSurpriseRemoved() {
        return surpriseRemoved;
    }

    /** True while halt is done with MiniportHaltEx but waits for this adapter's work items. */
    public boolean isHaltWaitingForWorkItems() {
        return accounting.isHaltWaitingForWorkItems();
    }

    /**
     * A host's observer of the status indications NDIS passes up (duplicates suppressed), called on
     * the indicating thread before the stack sees them.
     */
    public void addStatusListener(Consumer<NdisStatusIndication> listener) {
        indications.addListener(listener);
    }

    // ---- state machine ----------------------------------------------------------------------

    private void moveTo(AdapterState next) {
        AdapterState from;
        synchronized (lock) {
            from = state;
            if (!from.canMoveTo(next)) {
                throw Verifier.violation(
                        kernel,
                        Rule.Adapter_StateTransition,
                        from.ordinal(),
                        next.ordinal(),
                        name() + ": illegal adapter state transition " + from + " -> " + next);
            }
            state = next;
        }
        Trace.log("%s: %s -> %s", name(), from, next);
    }

    /** MiniportInitializeEx, then Paused; on failure back to Halted and the status is returned. */
    NdisStatus initialize() {
        moveTo(AdapterState.Initializing);
        NdisStatus status = timed(
                WatchedOperation.MINIPORT_INITIALIZE,
                0,
                () -> DriverCalls.call(
                        driverName(),
                        () -> characteristics().initializeEx(this, new MiniportInitParameters(resources, ifIndex))));
        if (status == null || status == NdisStatus.PENDING) {
            throw Verifier.violation(
                    kernel,
                    Rule.Init_SetAttributes,
                    0,
                    0,
                    name() + ": MiniportInitializeEx returned " + status + "; it must return success or a failure");
        }
        if (!status.isSuccess()) {
            Trace.log("%s: MiniportInitializeEx failed with %s", name(), status);
            DriverCalls.run(
                    driverName(),
                    () -> { // see halt
                        dataPath.halted("a failed MiniportInitializeEx");
                        accounting.checkNothingLeft("a failed MiniportInitializeEx");
                    });
            moveTo(AdapterState.Halted);
            return status;
        }
        attributes.checkSetByInitialize();
        DriverCalls.run(driverName(), () -> accounting.allocations().checkConfigurationsClosed("MiniportInitializeEx"));
        moveTo(AdapterState.Paused);
        reset.start(attributes.registration());
        return status;
    }

    /** Paused → Restarting → MiniportRestart → Running (or back to Paused when restart fails). */
    NdisStatus restart() {
        moveTo(AdapterState.Restarting);
        completion.arm();
        NdisStatus status = timed(
                WatchedOperation.MINIPORT_RESTART,
                0,
                () -> awaitCompletion(
                        DriverCalls.call(driverName(), () -> characteristics().restart(contextOrFail())),
                        "MiniportRestart"));
        moveTo(status.isSuccess() ? AdapterState.Running : AdapterState.Paused);
        return status;
    }

    /** Running → Pausing → MiniportPause → Paused. Pause cannot fail. */
    void pause() {
        moveTo(AdapterState.Pausing);
        dataPath.pausing(); // new sends keep reaching the miniport, which rejects them
        completion.arm();
        NdisStatus status = timed(
                WatchedOperation.MINIPORT_PAUSE,
                0,
                () -> awaitCompletion(
                        DriverCalls.call(driverName(), () -> characteristics().pause(contextOrFail())),
                        "MiniportPause"));
        if (!status.isSuccess()) {
            throw Verifier.violation(
                    kernel,
                    Rule.Adapter_StateTransition,
                    status.code(),
                    0,
                    name() + ": MiniportPause returned " + status + "; pause cannot fail");
        }
        dataPath.paused(); // every send completed and every indicated NBL back (Nbl_OutstandingAtPause)
        moveTo(AdapterState.Paused);
    }

    /**
     * Paused → MiniportHaltEx → (wait for work items) → Halted, then the leak check of everything
     * allocated with the adapter handle. Check-for-hang stops first, and a reset in progress ends,
     * before NDIS halts; then the OID requests (NDIS never halts with one outstanding). The watchdog
     * times MiniportHaltEx and the wait for the adapter's work items together (0x22).
     */
    void halt(NdisHaltAction action) {
        reset.stop();
        oidBroker.beforeHalt();
        timed(WatchedOperation.MINIPORT_HALT, 0, () -> {
            DriverCalls.run(driverName(), () -> characteristics().haltEx(contextOrFail(), action));
            awaitWorkItems();
        });
        // NDIS checks after the driver returned, on its behalf: a leak's report names the miniport.
        DriverCalls.run(driverName(), () -> {
            dataPath.halted("MiniportHaltEx"); // nothing outstanding, adapter-owned pools freed
            accounting.checkNothingLeft("MiniportHaltEx");
        });
        moveTo(AdapterState.Halted);
    }

    /** After MiniportHaltEx: waits until none of the adapter's work items is queued or running. */
    private void awaitWorkItems() {
        synchronized (lock) {
            haltReturned = true;
        }
        accounting.awaitWorkItemsReleased(); // thread dumps name this frame: the wait of halt
    }

    /**
     * MiniportShutdownEx(NdisShutdownPowerOff), at PASSIVE_LEVEL: the system is going down. When it
     * returns the adapter is Shutdown and NDIS calls none of its handlers afterwards, MiniportHaltEx
     * included; its interrupt is disconnected. The caller checked that the state allows it.
     */
    void shutdown() {
        reset.stop();
        timed(
                WatchedOperation.MINIPORT_SHUTDOWN,
                0,
                () -> DriverCalls.run(
                        driverName(),
                        () -> characteristics().shutdownEx(contextOrFail(), NdisShutdownAction.NdisShutdownPowerOff)));
        moveTo(AdapterState.Shutdown); // once it returned: until then the miniport may still indicate
        shutDown = true;
        Interrupt connected = accounting.interrupt();
        if (connected != null) {
            connected.disconnectAtShutdown(); // no ISR after shutdown
        }
        Trace.log("%s: MiniportShutdownEx(NdisShutdownPowerOff) returned; the adapter is Shutdown", name());
    }

    /**
     * The machine bug-checked: MiniportShutdownEx(NdisShutdownBugCheck) at HIGH_LEVEL on the crashing
     * thread, for an adapter that asked for it (NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK)
     * and is started. Every NDIS call it makes throws the crash (it may only touch its registers);
     * whatever it throws is dropped, as the system is stopping anyway.
     */
    void shutdownOnBugCheck() {
        MiniportAdapterRegistrationAttributes registration;
        Object adapterContext;
        synchronized (lock) {
            registration = attributes.registration();
            adapterContext = attributes.context();
            boolean started = state == AdapterState.Paused
                    || state == AdapterState.Restarting
                    || state == AdapterState.Running
                    || state == AdapterState.Pausing;
            if (registration == null
                    || !started
                    || (registration.attributeFlags()
                                    & MiniportAdapterRegistrationAttributes
                                            .NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK)
                            == 0) {
                return;
            }
            state = AdapterState.Shutdown;
        }
        Irql before = Ke.getCurrentIrql();
        Ke.raiseIrql(Irql.HIGH_LEVEL);
        try {
            DriverCalls.run(
                    driverName(),
                    () -> characteristics().shutdownEx(adapterContext, NdisShutdownAction.NdisShutdownBugCheck));
        } catch (RuntimeException stopped) {
            Trace.log("%s: MiniportShutdownEx(NdisShutdownBugCheck) ended with %s", name(), stopped);
        } finally {
            Ke.lowerIrql(before);
        }
        shutDown = true;
    }

    /**
     * MiniportDevicePnPEventNotify, at PASSIVE_LEVEL. For a surprise removal NDIS first stops calling
     * MiniportCheckForHangEx (the hardware is gone); the remove path (pause, halt) follows.
     */
    void devicePnPEvent(NetDevicePnPEvent event) {
        boolean surprise = event.devicePnPEvent() == NdisDevicePnPEvent.NdisDevicePnPEventSurpriseRemoved;
        if (surprise) {
            surpriseRemoved = true;
            reset.stop();
        }
        timed(
                WatchedOperation.MINIPORT_DEVICE_PNP_EVENT,
                event.devicePnPEvent().value(),
                () -> DriverCalls.run(
                        driverName(), () -> characteristics().devicePnPEventNotify(contextOrFail(), event)));
        Trace.log("%s: MiniportDevicePnPEventNotify(%s)", name(), event.devicePnPEvent());
    }

    /** Starts timing an operation NDIS runs on this adapter (see {@link NdisWatchdog}). */
    NdisWatchdog.Watch watch(WatchedOperation operation, long parameter4) {
        return watchdog.start(operation, name(), driverName(), parameter4);
    }

    /** Runs an operation on this adapter under NDIS's watchdog. */
    <T> T timed(WatchedOperation operation, long parameter4, Supplier<T> body) {
        return watchdog.call(operation, name(), driverName(), parameter4, body);
    }

    void timed(WatchedOperation operation, long parameter4, Runnable body) {
        watchdog.run(operation, name(), driverName(), parameter4, body);
    }

    /** Thread dumps and watchdog reports name this frame: NDIS waits for a PENDING pause or restart. */
    private NdisStatus awaitCompletion(NdisStatus returned, String handler) {
        return completion.await(returned, handler);
    }

    /** NdisMPauseComplete / NdisMRestartComplete. */
    public void complete(AdapterState expected, NdisStatus status, String function) {
        completion.complete(state(), expected, status, function);
    }

    // ---- attributes and status --------------------------------------------------------------

    /**
     * NdisMSetMiniportAttributes, after the entry point checked IRQL: registration attributes first
     * (they carry the adapter context), then general attributes; only in MiniportInitializeEx.
     */
    public void setAttributes(MiniportAttributes set) {
        attributes.set(state(), set);
        if (set instanceof MiniportAdapterGeneralAttributes g) {
            indications.initialLinkState(g.initialLinkState());
        }
        Trace.log("%s: NdisMSetMiniportAttributes(%s)", name(), set.getClass().getSimpleName());
    }

    /**
     * NdisMIndicateStatusEx, after the entry point checked IRQL: allowed once registration
     * attributes are set and never after MiniportHaltEx returns (rule Status_IndicationState); a
     * link state equal to the last one is suppressed, as NDIS does.
     */
    public void indicateStatus(NdisStatusIndication indication) {
        indications.indicateFromMiniport(indication);
    }

    /** Rule Status_IndicationState, checked by the status path before it records an indication. */
    void checkStatusIndicationAllowed(NdisStatusIndication indication) {
        synchronized (lock) {
            boolean noRegistration = attributes.registration() == null;
            if (noRegistration || haltReturned || state == AdapterState.Halted || state == AdapterState.Shutdown) {
                throw Verifier.violation(
                        kernel,
                        Rule.Status_IndicationState,
                        state.ordinal(),
                        haltReturned ? 1 : 0,
                        name() + ": NdisMIndicateStatusEx(" + indication.statusCode() + ") while the adapter is "
                                + state + (haltReturned ? " (MiniportHaltEx has returned)" : "")
                                + (noRegistration ? " (no registration attributes yet)" : ""));
            }
        }
    }

    /**
     * A status indication NDIS itself makes about this adapter (NDIS_STATUS_RESET_START / _END): to
     * the host's listeners and up the stack, as if the miniport had indicated it, in order with the
     * miniport's own indications. IRQL &lt;= DISPATCH_LEVEL.
     */
    void indicateFromNdis(NdisStatusIndication indication) {
        indications.indicateFromNdis(indication);
    }

    // ---- what the miniport allocated with the adapter handle --------------------------------

    /** Work items, timers and shared memory allocated with this adapter's handle. */
    public AdapterAllocations allocations() {
        return accounting.allocations();
    }

    void referenceForWorkItem() {
        accounting.referenceForWorkItem();
    }

    void dereferenceForWorkItem() {
        accounting.dereferenceForWorkItem();
    }

    /** NdisMRegisterInterruptEx: only in MiniportInitializeEx, after registration attributes, once. */
    void interruptRegistered(Interrupt registered) {
        AdapterState now;
        boolean registrationSet;
        synchronized (lock) {
            now = state;
            registrationSet = attributes.registration() != null;
        }
        accounting.interruptRegistered(registered, now, registrationSet);
    }

    void interruptDeregistered(Interrupt deregistered) {
        accounting.interruptDeregistered(deregistered);
    }

    // ---- calling the driver -----------------------------------------------------------------

    private MiniportDriver<Object> characteristics() {
        return driver.characteristics();
    }

    private Object contextOrFail() {
        Object c = context();
        if (c == null) {
            throw new IllegalStateException(name() + " has no adapter context");
        }
        return c;
    }

    // ---- check for hang and reset -----------------------------------------------------------------

    /** NDIS's check-for-hang timer and the reset state of this adapter. */
    private final MiniportReset reset = new MiniportReset(this);

    /** NdisMResetComplete, MiniportCheckForHangEx and MiniportResetEx for this adapter. */
    public MiniportReset reset() {
        return reset;
    }

    // ---- OID requests --------------------------------------------------------------------------

    /** Queues OID requests for this adapter and hands them to the miniport one at a time. */
    private final OidBroker oidBroker = new OidBroker(this);

    public OidBroker oidBroker() {
        return oidBroker;
    }

    // ---- upper edges and data path -------------------------------------------------------------

    /** The filters and protocol bindings above this adapter. */
    private final AdapterStack stack = new AdapterStack(this);

    /** Sends, receives and their accounting for this adapter (see MiniportDataPath). */
    private final MiniportDataPath dataPath = new MiniportDataPath(this, stack.data());

    public MiniportDataPath dataPath() {
        return dataPath;
    }

    public AdapterStack stack() {
        return stack;
    }
}
