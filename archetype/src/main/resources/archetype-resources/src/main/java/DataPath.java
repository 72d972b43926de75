package ${package};

import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.nic.regs.Registers;

/**
 * The data path (netvmini's datapath.c): its send half, {@code SendPath} (the TCBs, sends, transmit
 * completion), its receive half, {@code ReceivePath} (the RCBs, receive indication, returns), and
 * here what spans both: making and freeing them, programming both rings, the data-path half of pause
 * and restart. The handlers NDIS calls for one half are handed to it as they are.
 *
 * <p>Each half has its own spin lock. A step that needs both (a reset, when the driver has one)
 * takes the send lock, then the receive lock.
 */
final class DataPath {

    private final RegisterSpace registers;
    private final SharedMemory memory;
    private final SendPath send;
    private final ReceivePath receive;

    private DataPath(RegisterSpace registers, SharedMemory memory, SendPath send, ReceivePath receive) {
        this.registers = registers;
        this.memory = memory;
        this.send = send;
        this.receive = receive;
    }

    /**
     * Makes the send half, then the receive half (its NBL pool and one NBL per RCB). Runs at
     * PASSIVE_LEVEL. Returns null, having freed what it made, when NDIS is out of resources.
     */
    static DataPath create(NdisMiniportAdapterHandle handle, RegisterSpace registers, SharedMemory memory) {
        SendPath send = new SendPath(handle, registers, memory);
        ReceivePath receive = ReceivePath.create(handle, registers, memory);
        if (receive == null) {
            send.free();
            return null;
        }
        return new DataPath(registers, memory, send, receive);
    }

    /** Frees the receive half, then the send half. Runs at PASSIVE_LEVEL. */
    void free() {
        receive.free();
        send.free();
    }

    /** Programs both rings and posts every RCB; the device's units are off. Runs at PASSIVE_LEVEL. */
    void programRings() {
        Hardware.programRing(
                registers,
                Registers.TX_BASE_LO,
                memory.physicalAddress(Hardware.TX_RING_OFFSET),
                Hardware.TX_RING_SIZE);
        Hardware.programRing(
                registers,
                Registers.RX_BASE_LO,
                memory.physicalAddress(Hardware.RX_RING_OFFSET),
                Hardware.RX_RING_SIZE);
        receive.postAll();
    }

    // ---- the handlers of one half ------------------------------------------------------------------

    /** MiniportSendNetBufferLists (SendPath). Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void sendNetBufferLists(NetBufferList netBufferLists, int sendFlags) {
        send.sendNetBufferLists(netBufferLists, sendFlags);
    }

    /** Transmit completion (SendPath). Runs at DISPATCH_LEVEL. */
    void completeTransmits() {
        send.completeTransmits();
    }

    /** Receive indication (ReceivePath); true when more is waiting. Runs at DISPATCH_LEVEL. */
    boolean indicateReceives(int maxNbls) {
        return receive.indicateReceives(maxNbls);
    }

    /** MiniportReturnNetBufferLists (ReceivePath). Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void returnNetBufferLists(NetBufferList netBufferLists, int returnFlags) {
        receive.returnNetBufferLists(netBufferLists, returnFlags);
    }

    // ---- pause and restart -------------------------------------------------------------------------

    /** The data-path half of MiniportRestart: sends and indications may flow. Runs at PASSIVE_LEVEL. */
    void restart() {
        receive.restart();
        send.restart();
    }

    /** MiniportPause's first step: every send from now on completes with NDIS_STATUS_PAUSED. Runs at PASSIVE_LEVEL. */
    void refuseSends() {
        send.refuseSends();
    }

    /**
     * The data-path half of MiniportPause (new sends are refused, the receive unit is off): no more
     * indications, wait until every indicated NBL came back, complete every send in the ring. Runs at
     * PASSIVE_LEVEL.
     */
    void pause() {
        receive.pause();
        send.pause();
    }
}
