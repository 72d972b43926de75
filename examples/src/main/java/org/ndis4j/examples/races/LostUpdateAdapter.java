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
 * Race 3, the adapter: a DPC and a work item update one counter; the work item reads it, reads the
 * PHY under the PHY lock, and writes it back.
 *
 * <pre>
 *   DPC (DISPATCH)                         link work item (PASSIVE)
 *    lock: eventsHandled++ per cause        RACY:  seen = eventsHandled
 *    LINK: queue the link work item                lock PHY, read it, unlock   ◄── an RX interrupt's DPC
 *                                                  eventsHandled = seen + 1        counts here: lost
 *                                           FIXED: read the PHY; lock: eventsHandled++
 * </pre>
 *
 * The window is the PHY read, a microsecond: threaded, receive interrupts rarely land in it.
 */
final class LostUpdateAdapter implements RaceAdapter, InterruptHandlers<LostUpdateAdapter> {

    private final RegisterSpace registers;
    private final Variant variant;
    private final NdisIoWorkItem linkItem;
    /** Set when the link work item has run; reset when it is queued. */
    private final NdisEvent linkItemDone;
    /** Guards eventsHandled and linkItemQueued. */
    private final NdisSpinLock lock = Ndis.allocateSpinLock();
    /** Guards the PHY: one read at a time. */
    private final NdisSpinLock phyLock = Ndis.allocateSpinLock();
    /** The causes the ISR saw and the DPC has not handled yet. */
    private final AtomicInteger pendingCauses = new AtomicInteger();
    /** Statistics kept apart from the counter: causes the DPC handled, runs of the link work item. */
    private final AtomicInteger causesHandled = new AtomicInteger();

    private final AtomicInteger linkRuns = new AtomicInteger();

    private NdisInterrupt interrupt;
    private int eventsHandled;
    private boolean linkItemQueued;
    private volatile boolean linkUp;

    private LostUpdateAdapter(RegisterSpace registers, Variant variant, NdisIoWorkItem linkItem) {
        this.registers = registers;
        this.variant = variant;
        this.linkItem = linkItem;
        this.linkItemDone = Ndis.initializeEvent();
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL. Null when an allocation failed. */
    static LostUpdateAdapter initialize(NdisMiniportAdapterHandle handle, DeviceResources resources, Variant variant) {
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(handle);
        if (item == null) {
            return null;
        }
        LostUpdateAdapter adapter = new LostUpdateAdapter(resources.registers(), variant, item);
        RaceHardware.setAttributes(handle, adapter);
        adapter.interrupt = NdisM.registerInterruptEx(handle, adapter, adapter);
        adapter.registers.write32(RaceHardware.IMS, RaceHardware.CAUSE_LINK | RaceHardware.CAUSE_RX);
        return adapter;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL: interrupts off, wait for the link work item, free it. */
    @Override
    public void halt() {
        registers.write32(RaceHardware.IMS, 0);
        NdisM.deregisterInterruptEx(interrupt); // waits for the ISR and DPCs in flight
        Ndis.acquireSpinLock(lock);
        boolean wait = linkItemQueued;
        Ndis.releaseSpinLock(lock);
        if (wait) {
            Ndis.waitEvent(linkItemDone, 0);
        }
        Ndis.freeIoWorkItem(linkItem);
    }

    /** MiniportInterrupt. Runs at DIRQL: reads (and so clears) the causes, leaves them to the DPC. */
    @Override
    public MiniportInterruptResult interrupt(LostUpdateAdapter self) {
        return RaceHardware.takeCauses(registers, pendingCauses);
    }

    /** MiniportInterruptDPC. Runs at DISPATCH_LEVEL: counts each cause; LINK queues the link work item. */
    @Override
    public void interruptDpc(LostUpdateAdapter self, Object dpcContext, NdisReceiveThrottleParameters throttle) {
        int causes = pendingCauses.getAndSet(0);
        causesHandled.addAndGet(Integer.bitCount(causes));
        boolean queue = false;
        Ndis.dprAcquireSpinLock(lock);
        eventsHandled += Integer.bitCount(causes);
        if ((causes & RaceHardware.CAUSE_LINK) != 0 && !linkItemQueued) {
            linkItemQueued = true;
            Ndis.resetEvent(linkItemDone);
            queue = true;
        }
        Ndis.dprReleaseSpinLock(lock);
        if (queue) {
            Ndis.queueIoWorkItem(linkItem, LostUpdateAdapter::linkWorkItem, this);
        }
    }

    /** The link work item. Runs at PASSIVE_LEVEL on a CriticalWorkQueue thread. */
    private static void linkWorkItem(LostUpdateAdapter adapter, NdisIoWorkItem item) {
        if (adapter.variant == Variant.RACY) {
            int seen = adapter.eventsHandled; // BUG: read without the lock ...
            adapter.readPhy(); // ... an NDIS call (and an interrupt) in between ...
            adapter.eventsHandled = seen + 1; // ... and written back: a DPC's count in between is lost
        } else {
            adapter.readPhy();
            Ndis.acquireSpinLock(adapter.lock); // FIX: the same lock as the DPC
            adapter.eventsHandled++;
            Ndis.releaseSpinLock(adapter.lock);
        }
        adapter.linkRuns.incrementAndGet();
        Ndis.acquireSpinLock(adapter.lock);
        adapter.linkItemQueued = false;
        Ndis.releaseSpinLock(adapter.lock);
        Ndis.setEvent(adapter.linkItemDone);
    }

    /** Reads the PHY's link bit. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    private void readPhy() {
        Ndis.acquireSpinLock(phyLock);
        linkUp = (registers.read32(RaceHardware.PHY) & RaceHardware.PHY_LINK_UP) != 0;
        Ndis.releaseSpinLock(phyLock);
    }

    /** Read after MiniportHaltEx returned: every context that wrote it is done. */
    int eventsHandled() {
        return eventsHandled;
    }

    int linkChecks() {
        return linkRuns.get();
    }

    /** What eventsHandled must be: a count for every cause the DPC handled and every link work item run. */
    int eventsExpected() {
        return causesHandled.get() + linkRuns.get();
    }
}
