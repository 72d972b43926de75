package ${package};

import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.InterruptHandlers;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.miniport.NdisReceiveThrottleParameters;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.nic.regs.Registers;

/**
 * The interrupt path: the ISR at DIRQL does as little as it can and hands the rest to the DPC.
 *
 * <pre>
 *  device raises the line
 *    └► MiniportInterrupt (DIRQL)        read ICR (read-to-clear); 0 ─► not ours
 *                                        mask every cause (IMC), remember them, queue the DPC
 *    └► MiniportInterruptDPC (DISPATCH)  LINK_STATUS_CHANGE ─► NdisMIndicateStatusEx(LINK_STATE)
 *                                        TX_DONE ─► complete sends
 *                                        RX ─► indicate ≤ MaxNblsToIndicate; more ─► MoreNblsPending
 *                                        unmask (IMS) when nothing is left
 * </pre>
 */
final class Interrupt implements InterruptHandlers<Adapter> {

    /** No state of its own: one instance serves every adapter. */
    static final Interrupt HANDLERS = new Interrupt();

    private Interrupt() {}

    /** MiniportInterrupt. Runs at DIRQL, holding the interrupt lock. */
    @Override
    public MiniportInterruptResult interrupt(Adapter adapter) {
        int causes = adapter.registers.read32(Registers.ICR);
        if (causes == 0 || causes == Registers.ABSENT) {
            return MiniportInterruptResult.NOT_RECOGNIZED; // someone else's, or the NIC is gone
        }
        adapter.registers.write32(Registers.IMC, Hardware.INTERRUPT_CAUSES);
        adapter.pendingCauses.getAndAccumulate(causes, (a, b) -> a | b);
        return MiniportInterruptResult.RECOGNIZED_QUEUE_DEFAULT_DPC;
    }

    /** MiniportInterruptDPC. Runs at DISPATCH_LEVEL. */
    @Override
    public void interruptDpc(Adapter adapter, Object dpcContext, NdisReceiveThrottleParameters throttle) {
        int causes = adapter.pendingCauses.getAndSet(0);
        if ((causes & Registers.INT_LINK_STATUS_CHANGE) != 0) {
            NdisM.indicateStatusEx(
                    adapter.handle,
                    NdisStatusIndication.linkState(adapter.handle, Hardware.readLinkState(adapter.registers)));
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
        adapter.registers.write32(Registers.IMS, Hardware.INTERRUPT_CAUSES);
    }
}
