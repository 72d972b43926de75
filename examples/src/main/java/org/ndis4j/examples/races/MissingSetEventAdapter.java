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
 * Race 5, the adapter: halt waits for a busy link work item with a check-then-act and no lock, and
 * the work item looks at the stopping flag too early: it can finish without the NdisSetEvent halt
 * waits for. Halt hangs.
 *
 * <pre>
 *   link work item (PASSIVE, K1/W0)         halt (PASSIVE, K1/D0)
 *    RACY: wake = stopping   (false)
 *    lock; linkChecks++; unlock              stopping = true
 *                                            busy? yes: NdisWaitEvent(idle, forever)
 *    busy = false
 *    wake? no: no NdisSetEvent              ... waits forever: the deterministic run reports a
 *                                               deadlock naming K1/D0 in NdisWaitEvent
 *   FIXED: busy and stopping are read and written under the lock on both sides
 * </pre>
 */
final class MissingSetEventAdapter implements RaceAdapter, InterruptHandlers<MissingSetEventAdapter> {

    private final RegisterSpace registers;
    private final Variant variant;
    private final NdisIoWorkItem linkItem;
    /** Set by the link work item when halt waits for it. */
    private final NdisEvent idle;
    /** Guards linkChecks; in the fixed driver busy and stopping too. */
    private final NdisSpinLock lock = Ndis.allocateSpinLock();

    private final AtomicInteger pendingCauses = new AtomicInteger();
    private NdisInterrupt interrupt;
    private volatile boolean busy;
    private volatile boolean stopping;
    private int linkChecks;

    private MissingSetEventAdapter(RegisterSpace registers, Variant variant, NdisIoWorkItem linkItem) {
        this.registers = registers;
        this.variant = variant;
        this.linkItem = linkItem;
        this.idle = Ndis.initializeEvent();
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL. Null when an allocation failed. */
    static MissingSetEventAdapter initialize(
            NdisMiniportAdapterHandle handle, DeviceResources resources, Variant variant) {
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(handle);
        if (item == null) {
            return null;
        }
        MissingSetEventAdapter adapter = new MissingSetEventAdapter(resources.registers(), variant, item);
        RaceHardware.setAttributes(handle, adapter);
        adapter.interrupt = NdisM.registerInterruptEx(handle, adapter, adapter);
        adapter.registers.write32(RaceHardware.IMS, RaceHardware.CAUSE_LINK);
        return adapter;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void halt() {
        RaceHardware.reset(registers); // the PHY restarts: one last LINK interrupt
        NdisM.deregisterInterruptEx(interrupt); // waits for the ISR and DPCs in flight: nothing queues now
        boolean wait;
        if (variant == Variant.RACY) {
            stopping = true;
            wait = busy; // BUG: check-then-act against a routine that checks too early
        } else {
            Ndis.acquireSpinLock(lock);
            stopping = true;
            wait = busy;
            Ndis.releaseSpinLock(lock);
        }
        if (wait) {
            Ndis.waitEvent(idle, 0);
        }
        Ndis.freeIoWorkItem(linkItem);
    }

    /** MiniportInterrupt. Runs at DIRQL. */
    @Override
    public MiniportInterruptResult interrupt(MissingSetEventAdapter self) {
        return RaceHardware.takeCauses(registers, pendingCauses);
    }

    /** MiniportInterruptDPC. Runs at DISPATCH_LEVEL: LINK queues the link work item, marked busy. */
    @Override
    public void interruptDpc(MissingSetEventAdapter self, Object dpcContext, NdisReceiveThrottleParameters throttle) {
        if ((pendingCauses.getAndSet(0) & RaceHardware.CAUSE_LINK) == 0) {
            return;
        }
        Ndis.dprAcquireSpinLock(lock);
        boolean queue = !stopping && !busy;
        if (queue) {
            busy = true;
        }
        Ndis.dprReleaseSpinLock(lock);
        if (queue) {
            Ndis.queueIoWorkItem(linkItem, MissingSetEventAdapter::linkWorkItem, this);
        }
    }

    /** The link work item. Runs at PASSIVE_LEVEL on a CriticalWorkQueue thread. */
    private static void linkWorkItem(MissingSetEventAdapter adapter, NdisIoWorkItem item) {
        boolean wake;
        if (adapter.variant == Variant.RACY) {
            wake = adapter.stopping; // BUG: looked at before the work, not when busy is cleared
            Ndis.acquireSpinLock(adapter.lock);
            adapter.linkChecks++;
            Ndis.releaseSpinLock(adapter.lock);
            adapter.busy = false;
        } else {
            Ndis.acquireSpinLock(adapter.lock);
            adapter.linkChecks++;
            adapter.busy = false; // FIX: cleared and checked under the lock halt takes
            wake = adapter.stopping;
            Ndis.releaseSpinLock(adapter.lock);
        }
        if (wake) {
            Ndis.setEvent(adapter.idle);
        }
    }
}
