package org.ndis4j.examples.races;

import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.InterruptHandlers;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.miniport.NdisReceiveThrottleParameters;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;

/**
 * Race 2, the adapter: halt waits for a link work item that is queued, but not for one that is
 * already running, because the routine takes itself off the books (clears its "queued" mark) as soon
 * as it has its NBL — which still belongs to the pool halt then frees.
 *
 * <pre>
 *   halt (PASSIVE, K1/D0)                  link work item (PASSIVE, K1/W0), queued by the last LINK DPC
 *    CTRL.RESET ──► LINK ──► DPC queues ──► lock; halting? no; unlock
 *                                           report = NdisAllocateNetBufferList(pool)
 *                                           RACY: queued = false
 *          ◄── preempted at NdisFreeNetBufferList
 *    lock; halting = true; queued? no; unlock
 *    NdisMDeregisterInterruptEx
 *    NdisFreeIoWorkItem (legal: it runs)
 *    NdisFreeNetBufferListPool: 0xC4 NblPool_FreeWithOutstanding (the report is still out)
 *   FIXED: the routine clears queued under the lock when it has freed the report, so halt waits for it
 * </pre>
 *
 * The work item's natural times are harmless: if it runs through before halt looks, the pool is no
 * longer in use; if halt looks before the clear, it sees the item queued and waits; and the DPC's
 * natural time is after halt's flag, when it queues nothing. Only a preemption of the routine between
 * its clear and its NdisFreeNetBufferList, for as long as halt takes to look and free, fails.
 */
final class HaltFreesPoolAdapter implements RaceAdapter, InterruptHandlers<HaltFreesPoolAdapter> {

    private static final int POOL_TAG = 0x65636152; // 'Race'

    private final RegisterSpace registers;
    private final Variant variant;
    private final NdisIoWorkItem linkItem;
    /** The NBLs the link work item reports the link change in. */
    private final NetBufferListPool pool;
    /** Set when the link work item has run; reset when it is queued. */
    private final NdisEvent linkItemDone;
    /** Guards halting and linkItemQueued. */
    private final NdisSpinLock lock = Ndis.allocateSpinLock();

    private final AtomicInteger pendingCauses = new AtomicInteger();
    private NdisInterrupt interrupt;
    private boolean halting;
    /** Written under the lock, except by the racy routine's early clear (hence volatile). */
    private volatile boolean linkItemQueued;

    private volatile int linkChecks;

    private HaltFreesPoolAdapter(
            RegisterSpace registers, Variant variant, NdisIoWorkItem linkItem, NetBufferListPool pool) {
        this.registers = registers;
        this.variant = variant;
        this.linkItem = linkItem;
        this.pool = pool;
        this.linkItemDone = Ndis.initializeEvent();
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL. Null when an allocation failed. */
    static HaltFreesPoolAdapter initialize(
            NdisMiniportAdapterHandle handle, DeviceResources resources, Variant variant) {
        NetBufferListPool pool = Ndis.allocateNetBufferListPool(handle, NetBufferListPoolParameters.nblOnly(POOL_TAG));
        if (pool == null) {
            return null;
        }
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(handle);
        if (item == null) {
            Ndis.freeNetBufferListPool(pool);
            return null;
        }
        HaltFreesPoolAdapter adapter = new HaltFreesPoolAdapter(resources.registers(), variant, item, pool);
        RaceHardware.setAttributes(handle, adapter);
        adapter.interrupt = NdisM.registerInterruptEx(handle, adapter, adapter);
        adapter.registers.write32(RaceHardware.IMS, RaceHardware.CAUSE_LINK);
        return adapter;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void halt() {
        RaceHardware.reset(registers); // the PHY restarts: one last LINK interrupt
        Ndis.acquireSpinLock(lock);
        halting = true;
        boolean queued = linkItemQueued;
        Ndis.releaseSpinLock(lock);
        NdisM.deregisterInterruptEx(interrupt); // waits for the ISR and DPCs in flight
        if (queued) {
            Ndis.waitEvent(linkItemDone, 0);
        }
        Ndis.freeIoWorkItem(linkItem);
        Ndis.freeNetBufferListPool(pool); // RACY: a routine that already started may still use it
    }

    /** MiniportInterrupt. Runs at DIRQL. */
    @Override
    public MiniportInterruptResult interrupt(HaltFreesPoolAdapter self) {
        return RaceHardware.takeCauses(registers, pendingCauses);
    }

    /** MiniportInterruptDPC. Runs at DISPATCH_LEVEL: LINK queues the link work item, unless halting. */
    @Override
    public void interruptDpc(HaltFreesPoolAdapter self, Object dpcContext, NdisReceiveThrottleParameters throttle) {
        if ((pendingCauses.getAndSet(0) & RaceHardware.CAUSE_LINK) == 0) {
            return;
        }
        Ndis.dprAcquireSpinLock(lock);
        boolean queue = !halting && !linkItemQueued;
        if (queue) {
            linkItemQueued = true;
            Ndis.resetEvent(linkItemDone);
        }
        Ndis.dprReleaseSpinLock(lock);
        if (queue) {
            Ndis.queueIoWorkItem(linkItem, HaltFreesPoolAdapter::linkWorkItem, this);
        }
    }

    /** The link work item: reports the link change in an NBL. Runs at PASSIVE_LEVEL. */
    private static void linkWorkItem(HaltFreesPoolAdapter adapter, NdisIoWorkItem item) {
        Ndis.acquireSpinLock(adapter.lock);
        boolean stop = adapter.halting;
        Ndis.releaseSpinLock(adapter.lock);
        if (!stop) {
            NetBufferList report = Ndis.allocateNetBufferList(adapter.pool, 0, 0);
            if (adapter.variant == Variant.RACY) {
                adapter.linkItemQueued = false; // BUG: off the books once it has its NBL, which is still the pool's
            }
            if (report != null) {
                adapter.linkChecks++;
                Ndis.freeNetBufferList(report);
            }
        } else if (adapter.variant == Variant.RACY) {
            adapter.linkItemQueued = false; // halt has begun: it no longer looks
        }
        if (adapter.variant == Variant.FIXED) {
            Ndis.acquireSpinLock(adapter.lock);
            adapter.linkItemQueued = false; // FIX: cleared when the pool is no longer used
            Ndis.releaseSpinLock(adapter.lock);
        }
        Ndis.setEvent(adapter.linkItemDone);
    }
}
