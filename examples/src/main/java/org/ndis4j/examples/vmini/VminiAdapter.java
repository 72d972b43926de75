package org.ndis4j.examples.vmini;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportResetResult;
import org.ndis4j.ndis.miniport.NdisShutdownAction;
import org.ndis4j.ndis.oid.NdisMacOption;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.regs.Registers;

/**
 * One adapter: MiniportInitializeEx, MiniportHaltEx, MiniportPause and MiniportRestart (netvmini's
 * adapter.c), and the adapter context every other file works on.
 *
 * <pre>
 *  initialize                                          halt (reverse order)
 *   1 reset the device, read the station address        8 mask interrupts, stop both units
 *   2 shared memory: rings and buffers (VminiRings)     7 NdisMDeregisterInterruptEx (waits for DPCs)
 *   3 receive NBL pool, one NBL per RCB                 6 reset the device (no more DMA)
 *   4 link + reset work items (NdisAllocateIoWorkItem)  5 wait for the link work item, free both
 *   5 registration + general attributes                 4 free the RCB NBLs and the pool
 *   6 program rings, post receive buffers, MAC, ITR     3 free the shared memory
 *   7 NdisMRegisterInterruptEx
 *   8 IMS: unmask the causes the ISR handles
 *  restart: receive + transmit units on               pause: refuse new sends, receive unit off, drain
 *
 *  check for hang: a ring with work the driver reaped none of for two whole periods (a wedged unit,
 *                  lost interrupts) says hung; progress is counted, not read from ring indexes
 *  reset (DISPATCH): mask, refuse sends (RESET_IN_PROGRESS), queue the reset work item, PENDING
 *    work item (PASSIVE): counters to the driver's base, CTRL.RESET, sends in the ring complete
 *                  (REQUEST_ABORTED unless done; ifOutDiscards), unindicated frames in the receive ring
 *                  counted (ifInDiscards), both rings programmed again, posted buffers reposted,
 *                  address/multicast/RCTL written again, units as before, unmask,
 *                  NdisMResetComplete(SUCCESS, AddressingReset = TRUE: NDIS sets filter and multicast again)
 *  shutdown:       mask, units off, let the DPC and link work item finish, CTRL.RESET; frees nothing
 *  surprise removal: never touch the hardware again; sends and OID requests NOT_ACCEPTED until halt
 * </pre>
 *
 * The receive filter starts closed (RCTL 0, packet filter 0): a protocol opens it with
 * OID_GEN_CURRENT_PACKET_FILTER, as on Windows.
 */
final class VminiAdapter {

    final NdisMiniportAdapterHandle handle;
    final RegisterSpace registers;
    private final VminiRings rings;
    final VminiDataPath dataPath;
    /** The device's counters, kept monotonic across resets; the control path reports them. */
    final VminiStatistics statistics;

    final byte[] permanentAddress;
    /** The station address: the registry's NetworkAddress, or the permanent one. */
    final byte[] currentAddress;
    /** What the registry asked for (frame size, rings, moderation, address). */
    final VminiConfiguration config;

    volatile NdisInterrupt interrupt;

    /** Causes the ISR read from ICR and the DPC has not handled yet (OR-ed in at DIRQL). */
    final AtomicInteger pendingCauses = new AtomicInteger();

    /** The link work item, allocated with the adapter handle. */
    final NdisIoWorkItem linkWorkItem;
    /** The link work item is queued and has not started reading the PHY (the DPC queues it once). */
    final AtomicBoolean linkCheckQueued = new AtomicBoolean();
    /** Link work item runs queued or running; halt waits for 0. */
    final AtomicInteger linkChecksOutstanding = new AtomicInteger();
    /** Signalled whenever {@link #linkChecksOutstanding} drops to 0. */
    final NdisEvent linkChecksIdle;

    /** The reset work item, allocated with the adapter handle: the reset's slow half runs there. */
    final NdisIoWorkItem resetWorkItem;
    /** MiniportResetEx was called and the reset work item has not completed the reset. */
    final AtomicBoolean resetInProgress = new AtomicBoolean();
    /** Interrupt DPCs running now; shutdown and surprise removal wait for 0. */
    final AtomicInteger dpcsRunning = new AtomicInteger();
    /** Signalled whenever {@link #dpcsRunning} drops to 0. */
    final NdisEvent dpcsIdle;
    /**
     * Shutdown or surprise removal began: the DPC does nothing (no link check, no unmask) and the
     * link work item indicates nothing.
     */
    volatile boolean quiescing;
    /** The NIC was surprise-removed: no register access any more (they read all ones). */
    volatile boolean removed;

    /** The control path's state; OID requests come one at a time, so only the OID thread writes it. */
    volatile int packetFilter;

    volatile byte[] multicastList = new byte[0];

    private VminiAdapter(
            NdisMiniportAdapterHandle handle,
            DeviceResources resources,
            VminiRings rings,
            VminiStatistics statistics,
            VminiDataPath dataPath,
            NdisIoWorkItem linkWorkItem,
            NdisIoWorkItem resetWorkItem,
            byte[] permanentAddress,
            VminiConfiguration config) {
        this.handle = handle;
        this.config = config;
        this.currentAddress = config.networkAddress() != null ? config.networkAddress() : permanentAddress;
        this.registers = resources.registers();
        this.rings = rings;
        this.statistics = statistics;
        this.dataPath = dataPath;
        this.linkWorkItem = linkWorkItem;
        this.resetWorkItem = resetWorkItem;
        this.permanentAddress = permanentAddress;
        this.linkChecksIdle = Ndis.initializeEvent();
        this.dpcsIdle = Ndis.initializeEvent();
    }

    /**
     * MiniportInitializeEx. Runs at PASSIVE_LEVEL. Brings the device up as its datasheet's bring-up
     * sequence says; on failure undoes what it did, in reverse order, and returns the failure.
     */
    static NdisStatus initialize(NdisMiniportAdapterHandle handle, DeviceResources resources) {
        VminiConfiguration config = VminiConfiguration.read(handle); // opens, reads and closes the registry
        RegisterSpace registers = resources.registers();
        VminiHardware.reset(registers);
        byte[] address = VminiHardware.readStationAddress(registers);

        VminiRings rings = VminiRings.allocate(handle, config);
        if (rings == null) {
            return NdisStatus.RESOURCES;
        }
        VminiStatistics statistics = new VminiStatistics(registers);
        VminiDataPath dataPath = VminiDataPath.create(handle, registers, rings, statistics);
        if (dataPath == null) {
            statistics.free();
            rings.free(handle);
            return NdisStatus.RESOURCES;
        }
        NdisIoWorkItem workItem = Ndis.allocateIoWorkItem(handle);
        if (workItem == null) {
            dataPath.free();
            statistics.free();
            rings.free(handle);
            return NdisStatus.RESOURCES;
        }
        NdisIoWorkItem resetItem = Ndis.allocateIoWorkItem(handle);
        if (resetItem == null) {
            Ndis.freeIoWorkItem(workItem);
            dataPath.free();
            statistics.free();
            rings.free(handle);
            return NdisStatus.RESOURCES;
        }
        VminiAdapter adapter =
                new VminiAdapter(handle, resources, rings, statistics, dataPath, workItem, resetItem, address, config);

        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterRegistrationAttributes.of(adapter)
                        .withAttributeFlags(
                                MiniportAdapterRegistrationAttributes.NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE
                                        | MiniportAdapterRegistrationAttributes.NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER
                                        | MiniportAdapterRegistrationAttributes
                                                .NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK)
                        .withCheckForHangTimeInSeconds(VminiHardware.CHECK_FOR_HANG_SECONDS));
        NdisLinkState link = VminiHardware.readLinkState(registers); // PASSIVE_LEVEL: the PHY may be read here
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(config.mtu())
                        .maxLinkSpeed(VminiHardware.MAX_LINK_SPEED)
                        .initialLinkState(link)
                        .lookaheadSize(config.mtu())
                        .permanentMacAddress(address)
                        .currentMacAddress(adapter.currentAddress)
                        .supportedPacketFilters(VminiHardware.SUPPORTED_PACKET_FILTERS)
                        .maxMulticastListSize(VminiHardware.MULTICAST_LIST_SIZE)
                        .supportedOidList(VminiControlPath.SUPPORTED_OIDS)
                        .macOptions(NdisMacOption.DEFAULT | NdisMacOption.NDIS_MAC_OPTION_FULL_DUPLEX)
                        .build());

        dataPath.programRings();
        VminiHardware.writeStationAddress(registers, adapter.currentAddress);
        VminiHardware.writeMulticastTable(registers, new byte[0], 0);
        registers.write32(Registers.RCTL, 0);
        registers.write32(Registers.ITR, config.interruptThrottleMicros());
        registers.write32(Registers.MAXFRAME, config.maxFrameLength());

        adapter.interrupt = NdisM.registerInterruptEx(handle, adapter, VminiInterrupt.HANDLERS);
        registers.write32(Registers.IMS, VminiHardware.INTERRUPT_CAUSES);
        return NdisStatus.SUCCESS;
    }

    /**
     * MiniportRestart. Runs at PASSIVE_LEVEL. Opens the data path, then turns both units on.
     */
    NdisStatus restart() {
        dataPath.restart();
        registers.write32(Registers.CTRL, Registers.CTRL_RX_ENABLE | Registers.CTRL_TX_ENABLE);
        return NdisStatus.SUCCESS;
    }

    /**
     * MiniportPause. Runs at PASSIVE_LEVEL. From here on every new send is rejected with
     * NDIS_STATUS_PAUSED (NDIS keeps handing sends down while the adapter is Pausing); then the
     * receive unit goes off (the transmit unit stays on so that what is in the ring finishes), and
     * the data path drains: no send is held and no indication is in flight when it returns. Never
     * fails.
     */
    NdisStatus pause() {
        dataPath.refuseSends();
        if (!removed) {
            registers.write32(Registers.CTRL, Registers.CTRL_TX_ENABLE);
        }
        dataPath.pause();
        return NdisStatus.SUCCESS;
    }

    /**
     * MiniportHaltEx. Runs at PASSIVE_LEVEL; the adapter is Paused. Undoes initialize in reverse.
     */
    void halt() {
        if (!removed) { // a surprise-removed NIC is not touched again
            registers.write32(Registers.IMC, VminiHardware.INTERRUPT_CAUSES);
            registers.write32(Registers.CTRL, 0);
        }
        NdisM.deregisterInterruptEx(
                interrupt); // waits for the ISR and DPCs in flight: none may queue the work item now
        if (!removed) {
            VminiHardware.reset(registers); // the device forgets the rings before their memory goes
        }
        waitForLinkChecks();
        Ndis.freeIoWorkItem(linkWorkItem);
        Ndis.freeIoWorkItem(resetWorkItem); // NDIS halts only after the reset completed
        dataPath.free();
        statistics.free();
        rings.free(handle);
    }

    /**
     * MiniportShutdownEx. Stops the NIC and frees nothing. Power off (PASSIVE_LEVEL): mask, both units
     * off, let a DPC and the link work item in progress finish, refuse sends, and reset the device to
     * its power-on state. Bug check (HIGH_LEVEL, registers only): mask and stop the units.
     */
    void shutdown(NdisShutdownAction action) {
        quiescing = true;
        if (!removed) {
            registers.write32(Registers.IMC, VminiHardware.INTERRUPT_CAUSES);
            registers.write32(Registers.CTRL, 0);
        }
        if (action == NdisShutdownAction.NdisShutdownBugCheck) {
            return; // HIGH_LEVEL: no NDIS call, no wait
        }
        waitForDpcs();
        dataPath.deviceGone();
        waitForLinkChecks();
        if (!removed) {
            VminiHardware.reset(
                    registers); // DMA off, rings forgotten: the known state MiniportInitializeEx starts from
        }
    }

    /**
     * MiniportDevicePnPEventNotify(NdisDevicePnPEventSurpriseRemoved). Runs at PASSIVE_LEVEL. The NIC is
     * gone: no register is touched again; sends held and sends and OID requests to come complete with
     * NDIS_STATUS_NOT_ACCEPTED; pause and halt follow.
     */
    void surpriseRemoved() {
        removed = true;
        quiescing = true;
        waitForDpcs();
        dataPath.deviceGone();
        waitForLinkChecks();
    }

    /**
     * MiniportCheckForHangEx. Runs at PASSIVE_LEVEL. Hung when a ring has had work the driver reaped
     * none of for two whole periods ({@link VminiRingWatch}): a wedged transmit unit, or interrupts
     * that stopped coming. A NIC that reads all ones is gone, not hung.
     */
    boolean checkForHang() {
        if (removed || quiescing || resetInProgress.get()) {
            return false;
        }
        if (!VminiHardware.isPresent(registers)) {
            return false; // all ones: the NIC was pulled; a reset cannot help, NDIS's surprise removal follows
        }
        return dataPath.hung();
    }

    /**
     * MiniportResetEx. Runs at IRQL &lt;= DISPATCH_LEVEL, so the reset itself (which waits for locks the
     * DPC holds and reprograms both rings) goes to the reset work item at PASSIVE_LEVEL; until it is
     * done, sends complete at once with NDIS_STATUS_RESET_IN_PROGRESS.
     */
    MiniportResetResult reset() {
        if (!resetInProgress.compareAndSet(false, true)) {
            return MiniportResetResult.completed(NdisStatus.RESET_IN_PROGRESS, false);
        }
        registers.write32(Registers.IMC, VminiHardware.INTERRUPT_CAUSES);
        dataPath.beginReset();
        Ndis.queueIoWorkItem(resetWorkItem, VminiAdapter::resetRoutine, this);
        return MiniportResetResult.pending();
    }

    /**
     * The reset work item. Runs at PASSIVE_LEVEL. The device starts over (CTRL.RESET clears a wedged
     * unit), the data path reprograms the rings and the addressing (station address, multicast
     * table, RCTL) before the receive unit comes back, and NDIS is told: AddressingReset TRUE all the
     * same, so that a packet filter or multicast list set while the reset ran is set again last.
     */
    private static void resetRoutine(VminiAdapter adapter, NdisIoWorkItem item) {
        adapter.dataPath.reinitialize(adapter::programAddressing);
        adapter.pendingCauses.set(0);
        adapter.registers.write32(Registers.IMS, VminiHardware.INTERRUPT_CAUSES);
        adapter.resetInProgress.set(false);
        VminiInterrupt.queueLinkCheck(adapter); // a link that moved meanwhile is reported
        NdisM.resetComplete(adapter.handle, NdisStatus.SUCCESS, true);
    }

    /**
     * Writes what the control path last set: station address, multicast table, RCTL. Any IRQL (the
     * reset writes them under the data path's locks; OID requests are held while a reset runs).
     */
    private void programAddressing() {
        VminiHardware.writeStationAddress(registers, currentAddress);
        byte[] multicast = multicastList;
        VminiHardware.writeMulticastTable(registers, multicast, multicast.length / 6);
        registers.write32(Registers.RCTL, VminiHardware.receiveControl(packetFilter));
    }

    /** Waits until no interrupt DPC is running (a new one sees {@link #quiescing}). Runs at PASSIVE_LEVEL. */
    private void waitForDpcs() {
        for (; ; ) {
            Ndis.resetEvent(dpcsIdle);
            if (dpcsRunning.get() == 0) {
                return;
            }
            Ndis.waitEvent(dpcsIdle, 0);
        }
    }

    /** Waits until no link work item is queued or running. Runs at PASSIVE_LEVEL. */
    private void waitForLinkChecks() {
        for (; ; ) {
            Ndis.resetEvent(linkChecksIdle);
            if (linkChecksOutstanding.get() == 0) {
                return;
            }
            Ndis.waitEvent(linkChecksIdle, 0);
        }
    }
}
