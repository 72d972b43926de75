package org.ndis4j.examples.vmini;

import org.ndis4j.examples.vmini.VminiReceivePath.Rcb;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.nic.regs.Registers;

/**
 * The data path (netvmini's datapath.c): its send half, {@link VminiSendPath} (TCBs,
 * MiniportSendNetBufferLists, transmit completion), its receive half, {@link VminiReceivePath}
 * (RCBs, receive indication, MiniportReturnNetBufferLists), and here what spans both: making and
 * freeing them, programming the rings of {@link VminiRings}, and the data-path half of pause,
 * restart, check-for-hang, reset and of a NIC that is gone. The handlers NDIS calls for one half
 * are handed to it as they are.
 *
 * <p>Each half has its own spin lock; a step that needs both (the reset) takes the send lock, then
 * the receive lock.
 */
final class VminiDataPath {

    private final RegisterSpace registers;
    private final VminiRings rings;
    /** The counters a reset must not lose (it resets the device through them). */
    private final VminiStatistics statistics;
    /** Sizes from the registry (VminiConfiguration). */
    private final VminiConfiguration config;

    private final VminiSendPath send;
    private final VminiReceivePath receive;

    private VminiDataPath(
            RegisterSpace registers,
            VminiRings rings,
            VminiStatistics statistics,
            VminiSendPath send,
            VminiReceivePath receive) {
        this.registers = registers;
        this.rings = rings;
        this.statistics = statistics;
        this.config = rings.config;
        this.send = send;
        this.receive = receive;
    }

    /**
     * Makes the send half, then the receive half (its NBL pool, with the adapter handle, and one NBL
     * per RCB). Runs at PASSIVE_LEVEL. Returns null, having freed what it allocated, on failure.
     */
    static VminiDataPath create(
            NdisMiniportAdapterHandle handle, RegisterSpace registers, VminiRings rings, VminiStatistics statistics) {
        VminiSendPath send = new VminiSendPath(handle, registers, rings);
        VminiReceivePath receive = VminiReceivePath.create(handle, registers, rings);
        if (receive == null) {
            send.free();
            return null;
        }
        return new VminiDataPath(registers, rings, statistics, send, receive);
    }

    /**
     * Frees the RCBs' NBLs (releasing their MDLs), the pool and the locks: the receive half, then the
     * send half. Runs at PASSIVE_LEVEL.
     */
    void free() {
        receive.free();
        send.free();
    }

    /**
     * Programs both rings and posts every RCB (device units disabled). Runs at PASSIVE_LEVEL, in
     * MiniportInitializeEx before the interrupt is registered: nothing else touches the rings yet.
     */
    void programRings() {
        Ndis.acquireSpinLock(receive.receiveLock);
        programRingsLocked(receive.rcbs);
        Ndis.releaseSpinLock(receive.receiveLock);
    }

    /** Programs both rings (head and tail start at 0) and posts {@code posted}. Holds receiveLock. */
    private void programRingsLocked(Rcb[] posted) {
        VminiHardware.programRing(
                registers, Registers.TX_BASE_LO, rings.transmitRing.physicalAddress(), config.transmitRingSize());
        VminiHardware.programRing(
                registers, Registers.RX_BASE_LO, rings.receiveRing.physicalAddress(), config.receiveRingSize());
        receive.postLocked(posted);
    }

    // ---- the handlers of one half --------------------------------------------------------------

    /** MiniportSendNetBufferLists ({@link VminiSendPath#sendNetBufferLists}). Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void sendNetBufferLists(NetBufferList netBufferLists, int sendFlags) {
        send.sendNetBufferLists(netBufferLists, sendFlags);
    }

    /** Transmit completion ({@link VminiSendPath#completeTransmits}). Runs at DISPATCH_LEVEL. */
    void completeTransmits() {
        send.completeTransmits();
    }

    /** The transmit counters ({@link VminiSendPath#transmitCounters}). Runs at IRQL &lt;= DISPATCH_LEVEL. */
    VminiSendPath.TransmitCounters transmitCounters() {
        return send.transmitCounters();
    }

    /** The receive discards ({@link VminiReceivePath#receiveDiscards}). Runs at IRQL &lt;= DISPATCH_LEVEL. */
    long receiveDiscards() {
        return receive.receiveDiscards();
    }

    /** Receive indication ({@link VminiReceivePath#indicateReceives}). Runs at DISPATCH_LEVEL. */
    boolean indicateReceives(int maxNbls) {
        return receive.indicateReceives(maxNbls);
    }

    /**
     * MiniportReturnNetBufferLists ({@link VminiReceivePath#returnNetBufferLists}). Runs at IRQL &lt;=
     * DISPATCH_LEVEL.
     */
    void returnNetBufferLists(NetBufferList netBufferLists, int returnFlags) {
        receive.returnNetBufferLists(netBufferLists, returnFlags);
    }

    // ---- pause and restart ---------------------------------------------------------------------

    /**
     * The data-path half of MiniportRestart: sends and indications may flow. Runs at PASSIVE_LEVEL.
     */
    void restart() {
        receive.restart();
        send.restart();
    }

    /**
     * The first step of MiniportPause: from now on {@link #sendNetBufferLists} completes every NBL
     * at once with NDIS_STATUS_PAUSED. Runs at PASSIVE_LEVEL.
     */
    void refuseSends() {
        send.refuseSends();
    }

    /**
     * The data-path half of MiniportPause (new sends are refused, the receive unit is disabled): no
     * more indications; wait for the one in flight and for every indicated NBL to come back (NDIS
     * requires both before the pause completes); complete waiting sends with NDIS_STATUS_PAUSED and
     * finished ones with their status. Runs at PASSIVE_LEVEL.
     */
    void pause() {
        receive.pause();
        send.pause();
    }

    // ---- check for hang, reset, shutdown and surprise removal ------------------------------------

    /**
     * MiniportCheckForHangEx's test. Runs at PASSIVE_LEVEL. True when a ring had work the driver had not
     * reaped (descriptors in the transmit ring; frames the device wrote past the receive reap position)
     * at three checks in a row and reaped nothing in between ({@link VminiRingWatch}): the unit is
     * wedged or its interrupts stopped. Progress is counted, not read from ring indexes, which come
     * round to the same value on a busy ring.
     */
    boolean hung() {
        boolean txStuck = send.stuck(); // both rings are checked: each check moves its watch on
        boolean rxStuck = receive.stuck();
        return txStuck || rxStuck;
    }

    /** MiniportResetEx's first step: sends complete with NDIS_STATUS_RESET_IN_PROGRESS. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void beginReset() {
        send.beginReset();
    }

    /**
     * The reset work item's job. Runs at PASSIVE_LEVEL. Under both locks (send, then receive): CTRL.RESET
     * through {@link VminiStatistics#resetDevice} (the device forgets the rings, a wedged unit recovers,
     * what its counters held goes to the driver's base), every NBL in the transmit ring or the wait list
     * completes (its status if the device finished it, else NDIS_STATUS_REQUEST_ABORTED, as the WDK's
     * hardware reset asks, each frame never sent counted once in ifOutDiscards), frames the device
     * wrote that the driver had not indicated are counted once in ifInDiscards, both rings are
     * programmed again from slot 0 with the receive buffers that were posted (the ones the stack holds
     * are posted when they come back),
     * {@code programAddressing} writes the station address, multicast table and RCTL again (no frame
     * is filtered for want of them), ITR and MAXFRAME are written again, and the units come back as
     * they were (receive only if not paused).
     */
    void reinitialize(Runnable programAddressing) {
        Ndis.acquireSpinLock(send.sendLock);
        Ndis.acquireSpinLock(receive.receiveLock);
        statistics.resetDevice();
        VminiSendPath.TakenBack takenBack = send.takeBackForResetLocked();
        programRingsLocked(receive.takePostedForResetLocked());
        programAddressing.run();
        registers.write32(Registers.ITR, config.interruptThrottleMicros());
        registers.write32(Registers.MAXFRAME, config.maxFrameLength());
        registers.write32(
                Registers.CTRL, Registers.CTRL_TX_ENABLE | (receive.pausedLocked() ? 0 : Registers.CTRL_RX_ENABLE));
        send.endResetLocked();
        Ndis.releaseSpinLock(receive.receiveLock);
        Ndis.releaseSpinLock(send.sendLock);
        send.complete(takenBack);
    }

    /**
     * The NIC is gone (surprise removal) or stopped (shutdown). Runs at PASSIVE_LEVEL. No indication
     * from now on; every send held completes (its status if the device finished it, else
     * NDIS_STATUS_NOT_ACCEPTED) and every later one at once with NDIS_STATUS_NOT_ACCEPTED. Only ring
     * memory is read, no register.
     */
    void deviceGone() {
        receive.deviceGone();
        send.deviceGone();
    }
}
