package org.ndis4j.examples.vmini;

import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.InterruptHandlers;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.miniport.NdisReceiveThrottleParameters;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.nic.regs.Registers;

/**
 * The interrupt path (the ISR/DPC half of netvmini's datapath.c, and its link-state deferral):
 *
 * <pre>
 *  device raises the line
 *    └► MiniportInterrupt (DIRQL)          read ICR (read-to-clear); 0 ─► not ours
 *         mask every cause (IMC), remember the causes, RECOGNIZED + queue the default DPC
 *    └► MiniportInterruptDPC (DISPATCH)    TX_DONE ─► complete sends, refill the ring
 *                                          RX, RX_OVERRUN ─► indicate ≤ MaxNblsToIndicate;
 *                                              more left ─► MoreNblsPending, stay masked
 *                                          LINK_STATUS_CHANGE ─► queue the link work item
 *                                          unmask (IMS) when the batch is done
 *    └► link work item (PASSIVE, CriticalWorkQueue)
 *                                          read the PHY through MDIC (~1 ms, NdisMSleep between polls)
 *                                          NdisMIndicateStatusEx(NDIS_STATUS_LINK_STATE)
 * </pre>
 */
final class VminiInterrupt implements InterruptHandlers<VminiAdapter> {

    /** The handlers have no state of their own: one instance serves every adapter. */
    static final VminiInterrupt HANDLERS = new VminiInterrupt();

    private VminiInterrupt() {}

    /**
     * MiniportInterrupt. Runs at DIRQL, holding the interrupt lock. Reads and clears the cause
     * register; if any cause is set, masks the device's interrupts until the DPC is done.
     */
    @Override
    public MiniportInterruptResult interrupt(VminiAdapter adapter) {
        if (adapter.removed) {
            return MiniportInterruptResult.NOT_RECOGNIZED; // the NIC is gone: not ours, and not touched
        }
        int causes = adapter.registers.read32(Registers.ICR);
        if (causes == 0 || causes == Registers.ABSENT) {
            return MiniportInterruptResult.NOT_RECOGNIZED; // all ones: the NIC was pulled (a shared line)
        }
        adapter.registers.write32(Registers.IMC, VminiHardware.INTERRUPT_CAUSES);
        adapter.pendingCauses.getAndAccumulate(causes, (a, b) -> a | b);
        return MiniportInterruptResult.RECOGNIZED_QUEUE_DEFAULT_DPC;
    }

    /**
     * MiniportInterruptDPC. Runs at DISPATCH_LEVEL. Handles the causes the ISR saw; honours the
     * receive throttle; re-enables the device's interrupts when nothing is left.
     */
    @Override
    public void interruptDpc(VminiAdapter adapter, Object dpcContext, NdisReceiveThrottleParameters throttle) {
        adapter.dpcsRunning.incrementAndGet(); // before the check: shutdown sets the flag, then waits for 0
        try {
            if (!adapter.quiescing) {
                handleCauses(adapter, throttle);
            }
        } finally {
            if (adapter.dpcsRunning.decrementAndGet() == 0) {
                Ndis.setEvent(adapter.dpcsIdle);
            }
        }
    }

    private static void handleCauses(VminiAdapter adapter, NdisReceiveThrottleParameters throttle) {
        int causes = adapter.pendingCauses.getAndSet(0);
        if ((causes & Registers.INT_LINK_STATUS_CHANGE) != 0) {
            queueLinkCheck(adapter);
        }
        if ((causes & Registers.INT_TX_DONE) != 0) {
            adapter.dataPath.completeTransmits();
        }
        if ((causes & (Registers.INT_RX | Registers.INT_RX_OVERRUN)) != 0) {
            int max = throttle.indicateAll() ? Integer.MAX_VALUE : throttle.maxNblsToIndicate();
            if (adapter.dataPath.indicateReceives(max)) {
                adapter.pendingCauses.getAndAccumulate(Registers.INT_RX, (a, b) -> a | b);
                throttle.setMoreNblsPending(true); // NDIS runs this DPC again; interrupts stay masked
                return;
            }
        }
        adapter.registers.write32(Registers.IMS, VminiHardware.INTERRUPT_CAUSES);
    }

    /** Queues the link work item unless it is queued already. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    static void queueLinkCheck(VminiAdapter adapter) {
        if (adapter.quiescing) {
            return;
        }
        if (adapter.linkCheckQueued.compareAndSet(false, true)) {
            adapter.linkChecksOutstanding.incrementAndGet();
            Ndis.queueIoWorkItem(adapter.linkWorkItem, VminiInterrupt::linkWorkItem, adapter);
        }
    }

    /**
     * The link work item routine. Runs at PASSIVE_LEVEL on a CriticalWorkQueue thread. Reads the
     * PHY (too slow for a DPC) and indicates the link state; NDIS drops a repeat of the last one.
     * A change that arrives during the PHY read finds the item still marked queued, so the routine
     * looks at STATUS once more after clearing the mark and queues itself again if the link moved.
     */
    private static void linkWorkItem(VminiAdapter adapter, NdisIoWorkItem item) {
        if (!adapter.quiescing) { // shut down or pulled: the PHY is not read, nothing is indicated
            NdisLinkState state = VminiHardware.readLinkState(adapter.registers);
            NdisM.indicateStatusEx(adapter.handle, NdisStatusIndication.linkState(adapter.handle, state));
            adapter.linkCheckQueued.set(false);
            if (VminiHardware.isLinkUp(adapter.registers) != state.isConnected()) {
                queueLinkCheck(adapter);
            }
        } else {
            adapter.linkCheckQueued.set(false);
        }
        if (adapter.linkChecksOutstanding.decrementAndGet() == 0) {
            Ndis.setEvent(adapter.linkChecksIdle);
        }
    }
}
