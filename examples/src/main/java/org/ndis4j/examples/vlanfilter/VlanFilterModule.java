package org.ndis4j.examples.vlanfilter;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.ThreadKind;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisF;
import org.ndis4j.ndis.filter.FilterAttachParameters;
import org.ndis4j.ndis.filter.FilterModuleState;
import org.ndis4j.ndis.nbl.NblQueue;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * One filter module over one adapter: FilterAttach, FilterDetach, FilterRestart and FilterPause,
 * and the module context every other file works on (a filter's counterpart of netvmini's adapter.c).
 *
 * <pre>
 *  attach (PASSIVE)                                  detach (PASSIVE, module Paused; reverse order)
 *   1 NBL pool for tagged / untagged copies, its    3 NdisFreeIoWorkItem
 *     512 NBLs made now (filter module handle)       2 NdisFreeNetBufferListPool
 *   2 NdisAllocateIoWorkItem(filter module handle)   1 the lock
 *   3 NdisFSetAttributes; the module starts Paused
 *  restart: Running                                  pause: Pausing; wait for its own NBLs and the
 *                                                    policy work item; Paused
 * </pre>
 * The public methods are for hosts and tests: what the module holds and counted.
 */
public final class VlanFilterModule {

    /** 'VLfl' in a pool dump. */
    static final int POOL_TAG = 0x6C66_4C56;
    /** The longest frame a copy holds: 1514 + the 4-byte tag. */
    static final int COPY_SIZE = 1518;
    /** Own NBLs (tagged sends, untagged receives) out at once; beyond it a frame is dropped and counted. */
    static final int MAX_OWN_OUTSTANDING = 512;
    /** Policy sets waiting for the work item; beyond it a set fails with NDIS_STATUS_RESOURCES. */
    static final int MAX_PENDING_SETS = 8;
    /** How long FilterPause waits for the module's own NBLs and its work item. */
    static final int PAUSE_WAIT_MILLISECONDS = 10_000;

    /** Where and when the work item applied a policy, for tests and the demo. */
    public record PolicyApplication(
            VlanPolicy policy, Irql irql, ThreadKind threadKind, String thread, NdisIoWorkItem workItem) {}

    /** The last status indication FilterStatus passed up, with where it ran. */
    public record StatusPassed(NdisStatus status, Irql irql, String thread) {}

    final NdisFilterModuleHandle handle;
    final String adapterName;
    final NetBufferListPool pool;
    final NdisIoWorkItem workItem;
    final EtherTypeCounters counters = new EtherTypeCounters();

    volatile CompiledPolicy policy = CompiledPolicy.NONE;
    volatile FilterModuleState state = FilterModuleState.Paused;

    /** Own NBLs out (sent down, or indicated up): pause waits for 0. */
    final AtomicInteger ownOutstanding = new AtomicInteger();
    /** Set when {@link #ownOutstanding} is 0 while pausing. */
    final NdisEvent ownIdle;

    /** Guards {@link #pendingSets} and {@link #workScheduled}. */
    final NdisSpinLock lock;

    final ArrayDeque<NdisOidRequest> pendingSets = new ArrayDeque<>();
    boolean workScheduled;
    /** Set while no policy work is queued or running. */
    final NdisEvent policyIdle;

    volatile PolicyApplication lastApplication;
    final AtomicInteger statusIndications = new AtomicInteger();
    volatile StatusPassed lastStatus;

    private VlanFilterModule(
            NdisFilterModuleHandle handle, String adapterName, NetBufferListPool pool, NdisIoWorkItem workItem) {
        this.handle = handle;
        this.adapterName = adapterName;
        this.pool = pool;
        this.workItem = workItem;
        this.ownIdle = Ndis.initializeEvent();
        this.policyIdle = Ndis.initializeEvent();
        Ndis.setEvent(policyIdle);
        this.lock = Ndis.allocateSpinLock();
    }

    /** FilterAttach. Runs at PASSIVE_LEVEL. */
    static NdisStatus attach(
            VlanFilterDriver driver, NdisFilterModuleHandle handle, FilterAttachParameters attachParameters) {
        NetBufferListPool pool =
                Ndis.allocateNetBufferListPool(handle, NetBufferListPoolParameters.withNetBuffer(POOL_TAG, COPY_SIZE));
        if (pool == null) {
            return NdisStatus.RESOURCES;
        }
        if (!preallocate(pool, MAX_OWN_OUTSTANDING)) {
            Ndis.freeNetBufferListPool(pool);
            return NdisStatus.RESOURCES;
        }
        NdisIoWorkItem workItem = Ndis.allocateIoWorkItem(handle); // the filter module handle FilterAttach got
        if (workItem == null) {
            Ndis.freeNetBufferListPool(pool);
            return NdisStatus.RESOURCES;
        }
        VlanFilterModule module = new VlanFilterModule(handle, attachParameters.miniportName(), pool, workItem);
        NdisF.setAttributes(handle, module);
        driver.attached(module);
        return NdisStatus.SUCCESS;
    }

    /**
     * Has the pool make {@code count} NBLs and their memory now, at PASSIVE_LEVEL, and frees them: the
     * pool recycles them, so the data path never waits for memory at DISPATCH_LEVEL. False when NDIS
     * had none to give.
     */
    private static boolean preallocate(NetBufferListPool pool, int count) {
        NblQueue made = new NblQueue();
        boolean all = true;
        for (int i = 0; i < count && all; i++) {
            NetBufferList nbl = Ndis.allocateNetBufferList(pool, 0, 0);
            if (nbl == null) {
                all = false;
            } else {
                made.append(nbl);
            }
        }
        for (NetBufferList nbl = made.pop(); nbl != null; nbl = made.pop()) {
            Ndis.freeNetBufferList(nbl);
        }
        return all;
    }

    /** FilterDetach. Runs at PASSIVE_LEVEL, with the module Paused (no work item queued or running). */
    void detach(VlanFilterDriver driver) {
        driver.detached(this);
        Ndis.freeIoWorkItem(workItem);
        Ndis.freeNetBufferListPool(pool);
        Ndis.freeSpinLock(lock);
    }

    /** FilterRestart. Runs at PASSIVE_LEVEL. */
    NdisStatus restart() {
        state = FilterModuleState.Running;
        return NdisStatus.SUCCESS;
    }

    /**
     * FilterPause. Runs at PASSIVE_LEVEL; cannot fail. From Pausing on, sends are completed with
     * NDIS_STATUS_PAUSED and receives returned; the module is Paused once every NBL of its own is
     * back and the policy work item is idle.
     */
    NdisStatus pause() {
        state = FilterModuleState.Pausing;
        Ndis.resetEvent(ownIdle);
        if (ownOutstanding.get() == 0) {
            Ndis.setEvent(ownIdle);
        }
        boolean drained = Ndis.waitEvent(ownIdle, PAUSE_WAIT_MILLISECONDS);
        boolean idle = Ndis.waitEvent(policyIdle, PAUSE_WAIT_MILLISECONDS);
        state = FilterModuleState.Paused;
        if (!drained || !idle) {
            throw new IllegalStateException(adapterName + ": FilterPause waited " + PAUSE_WAIT_MILLISECONDS
                    + " ms for " + (drained ? "" : ownOutstanding.get() + " own NBLs ")
                    + (idle ? "" : "the policy work item"));
        }
        return NdisStatus.SUCCESS;
    }

    boolean isRunning() {
        return state == FilterModuleState.Running;
    }

    /** Takes an own-NBL slot; false (nothing taken) at the bound. */
    boolean reserveOwn() {
        if (ownOutstanding.incrementAndGet() > MAX_OWN_OUTSTANDING) {
            releaseOwn();
            return false;
        }
        return true;
    }

    void releaseOwn() {
        if (ownOutstanding.decrementAndGet() == 0 && state == FilterModuleState.Pausing) {
            Ndis.setEvent(ownIdle);
        }
    }

    // ---- for hosts and tests -----------------------------------------------------------------

    /** The adapter the module sits on ("driver/device"). */
    public String adapterName() {
        return adapterName;
    }

    /** The policy work item, allocated in FilterAttach with the filter module handle. */
    public NdisIoWorkItem workItem() {
        return workItem;
    }

    /** The policy in force. */
    public VlanPolicy policy() {
        return policy.policy();
    }

    /** The last policy the work item applied, with where it ran; null before the first. */
    public PolicyApplication lastApplication() {
        return lastApplication;
    }

    public VlanFilterStatistics statistics() {
        return counters.snapshot();
    }

    /** Status indications FilterStatus passed on. */
    public int statusIndications() {
        return statusIndications.get();
    }

    /** The last status indication FilterStatus passed up; null before the first. */
    public StatusPassed lastStatus() {
        return lastStatus;
    }

    public FilterModuleState state() {
        return state;
    }
}
