package org.ndis4j.examples.races;

import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.InterruptHandlers;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.miniport.NdisReceiveThrottleParameters;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;

/**
 * Race 1, the adapter: the DPC queues the link work item on LINK unless halt has begun; halt resets
 * the device (which drops the link: one last LINK interrupt), stops the DPC from queueing, waits for an
 * item it queued before, and frees the work item. The racy halt looks at "queued" before it takes the
 * lock that stops the DPC.
 *
 * <pre>
 *   halt (PASSIVE, K1/D0)                  DPC (DISPATCH, a processor)
 *    CTRL.RESET ───────────────────────────► LINK pending
 *    RACY: queued? no (a peek, no lock)
 *          ◄── preempted at NdisAcquireSpinLock: LINK: lock; halting? no: queued = true; unlock
 *                                                     NdisQueueIoWorkItem
 *          lock; halting = true; unlock
 *    NdisMDeregisterInterruptEx
 *    NdisFreeIoWorkItem                     ◄── the item is queued and has not run:
 *                                               0xC4 IoWorkItem_FreeWhileQueued
 *    FIXED: lock; halting = true; queued? ; unlock — one region: queued? NdisWaitEvent(linkItemDone) first
 * </pre>
 *
 * The DPC's natural times are harmless: right at the reset (halt then sees the item queued and waits
 * for it) or once halt has set the flag (it queues nothing). Only a preemption of halt between its
 * peek and its NdisAcquireSpinLock, with the work item's thread kept off until the free, fails.
 */
final class FreeWhileQueuedAdapter implements RaceAdapter, InterruptHandlers<FreeWhileQueuedAdapter> {

    private final RegisterSpace registers;
    private final Variant variant;
    private final NdisIoWorkItem linkItem;
    /** Set when the link work item has run; reset when it is queued. */
    private final NdisEvent linkItemDone;
    /** Guards halting and linkItemQueued. */
    private final NdisSpinLock lock = Ndis.allocateSpinLock();

    private final AtomicInteger pendingCauses = new AtomicInteger();
    private NdisInterrupt interrupt;
    private boolean halting;
    /** Volatile only for the racy halt's peek: written under the lock. */
    private volatile boolean linkItemQueued;

    private volatile int linkChecks;

    private FreeWhileQueuedAdapter(RegisterSpace registers, Variant variant, NdisIoWorkItem linkItem) {
        this.registers = registers;
        this.variant = variant;
        this.linkItem = linkItem;
        this.linkItemDone = Ndis.initializeEvent();
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL. Null when an allocation failed. */
    static FreeWhileQueuedAdapter initialize(
            NdisMiniportAdapterHandle handle, DeviceResources resources, Variant variant) {
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(handle);
        if (item == null) {
            return null;
        }
        FreeWhileQueuedAdapter adapter = new FreeWhileQueuedAdapter(resources.registers(), variant, item);
        RaceHardware.setAttributes(handle, adapter);
        adapter.interrupt = NdisM.registerInterruptEx(handle, adapter, adapter);
        adapter.registers.write32(RaceHardware.IMS, RaceHardware.CAUSE_LINK);
        return adapter;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void halt() {
        RaceHardware.reset(registers); // the PHY restarts: one last LINK interrupt
        boolean queued;
        if (variant == Variant.RACY) {
            queued = linkItemQueued; // RACY: a peek without the lock; a DPC before the lock below ...
            stopLinkItem(); // ... queues an item halt does not wait for
        } else {
            Ndis.acquireSpinLock(lock);
            halting = true; // FIX: from here on the DPC queues nothing, and what it queued before ...
            queued = linkItemQueued;
            Ndis.releaseSpinLock(lock);
        }
        NdisM.deregisterInterruptEx(interrupt); // waits for the ISR and DPCs in flight
        if (queued) {
            Ndis.waitEvent(linkItemDone, 0); // ... has run before the item is freed
        }
        Ndis.freeIoWorkItem(linkItem);
    }

    /** From here on the DPC queues no link work item. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    private void stopLinkItem() {
        Ndis.acquireSpinLock(lock);
        halting = true;
        Ndis.releaseSpinLock(lock);
    }

    /** MiniportInterrupt. Runs at DIRQL. */
    @Override
    public MiniportInterruptResult interrupt(FreeWhileQueuedAdapter self) {
        return RaceHardware.takeCauses(registers, pendingCauses);
    }

    /** MiniportInterruptDPC. Runs at DISPATCH_LEVEL: LINK queues the link work item, unless halting. */
    @Override
    public void interruptDpc(FreeWhileQueuedAdapter self, Object dpcContext, NdisReceiveThrottleParameters throttle) {
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
            Ndis.queueIoWorkItem(linkItem, FreeWhileQueuedAdapter::linkWorkItem, this);
        }
    }

    /** The link work item. Runs at PASSIVE_LEVEL on a CriticalWorkQueue thread. */
    private static void linkWorkItem(FreeWhileQueuedAdapter adapter, NdisIoWorkItem item) {
        Ndis.acquireSpinLock(adapter.lock);
        adapter.linkChecks++;
        adapter.linkItemQueued = false;
        Ndis.releaseSpinLock(adapter.lock);
        Ndis.setEvent(adapter.linkItemDone);
    }
}
