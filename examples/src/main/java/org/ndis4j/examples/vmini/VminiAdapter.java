package org.ndis4j.examples.vmini;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
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
 *   4 link work item (NdisAllocateIoWorkItem)           5 wait for the link work item, free it
 *   5 registration + general attributes                 4 free the RCB NBLs and the pool
 *   6 program rings, post receive buffers, MAC, ITR     3 free the shared memory
 *   7 NdisMRegisterInterruptEx
 *   8 IMS: unmask the causes the ISR handles
 *  restart: receive + transmit units on               pause: refuse new sends, receive unit off, drain
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
    final byte[] permanentAddress;
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

    /** The control path's state; OID requests come one at a time, so only the OID thread writes it. */
    volatile int packetFilter;

    volatile byte[] multicastList = new byte[0];

    private VminiAdapter(
            NdisMiniportAdapterHandle handle,
            DeviceResources resources,
            VminiRings rings,
            VminiDataPath dataPath,
            NdisIoWorkItem linkWorkItem,
            byte[] permanentAddress) {
        this.handle = handle;
        this.registers = resources.registers();
        this.rings = rings;
        this.dataPath = dataPath;
        this.linkWorkItem = linkWorkItem;
        this.permanentAddress = permanentAddress;
        this.linkChecksIdle = Ndis.initializeEvent();
    }

    /**
     * MiniportInitializeEx. Runs at PASSIVE_LEVEL. Brings the device up as its datasheet's bring-up
     * sequence says; on failure undoes what it did, in reverse order, and returns the failure.
     */
    static NdisStatus initialize(NdisMiniportAdapterHandle handle, DeviceResources resources) {
        RegisterSpace registers = resources.registers();
        VminiHardware.reset(registers);
        byte[] address = VminiHardware.readStationAddress(registers);

        VminiRings rings = VminiRings.allocate(handle);
        if (rings == null) {
            return NdisStatus.RESOURCES;
        }
        VminiDataPath dataPath = VminiDataPath.create(handle, registers, rings);
        if (dataPath == null) {
            rings.free(handle);
            return NdisStatus.RESOURCES;
        }
        NdisIoWorkItem workItem = Ndis.allocateIoWorkItem(handle);
        if (workItem == null) {
            dataPath.free();
            rings.free(handle);
            return NdisStatus.RESOURCES;
        }
        VminiAdapter adapter = new VminiAdapter(handle, resources, rings, dataPath, workItem, address);

        NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(adapter));
        NdisLinkState link = VminiHardware.readLinkState(registers); // PASSIVE_LEVEL: the PHY may be read here
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(VminiHardware.MTU)
                        .maxLinkSpeed(VminiHardware.MAX_LINK_SPEED)
                        .initialLinkState(link)
                        .lookaheadSize(VminiHardware.MTU)
                        .macAddress(address)
                        .supportedPacketFilters(VminiHardware.SUPPORTED_PACKET_FILTERS)
                        .maxMulticastListSize(VminiHardware.MULTICAST_LIST_SIZE)
                        .supportedOidList(VminiControlPath.SUPPORTED_OIDS)
                        .macOptions(NdisMacOption.DEFAULT | NdisMacOption.NDIS_MAC_OPTION_FULL_DUPLEX)
                        .build());

        dataPath.programRings();
        VminiHardware.writeStationAddress(registers, address);
        VminiHardware.writeMulticastTable(registers, new byte[0], 0);
        registers.write32(Registers.RCTL, 0);
        registers.write32(Registers.ITR, VminiHardware.INTERRUPT_THROTTLE_MICROS);

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
        registers.write32(Registers.CTRL, Registers.CTRL_TX_ENABLE);
        dataPath.pause();
        return NdisStatus.SUCCESS;
    }

    /**
     * MiniportHaltEx. Runs at PASSIVE_LEVEL; the adapter is Paused. Undoes initialize in reverse.
     */
    void halt() {
        registers.write32(Registers.IMC, VminiHardware.INTERRUPT_CAUSES);
        registers.write32(Registers.CTRL, 0);
        NdisM.deregisterInterruptEx(
                interrupt); // waits for the ISR and DPCs in flight: none may queue the work item now
        VminiHardware.reset(registers); // the device forgets the rings before their memory goes
        waitForLinkChecks();
        Ndis.freeIoWorkItem(linkWorkItem);
        dataPath.free();
        rings.free(handle);
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
