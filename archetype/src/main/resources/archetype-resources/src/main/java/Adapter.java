package ${package};

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.oid.NdisMacOption;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.regs.Registers;

/**
 * One adapter: MiniportInitializeEx, MiniportHaltEx, MiniportPause and MiniportRestart (netvmini's
 * adapter.c), and the context every other file works on.
 *
 * <pre>
 *  initialize                                         halt (the reverse)
 *   1 reset the device, read the station address       6 mask interrupts, both units off
 *   2 shared memory: rings and buffers                  5 NdisMDeregisterInterruptEx (waits for the DPC)
 *   3 receive NBLs, one per receive buffer              4 reset the device: no more DMA
 *   4 registration and general attributes               3 free the receive NBLs and their pool
 *   5 program the rings, ITR; receive filter closed     2 free the shared memory
 *   6 NdisMRegisterInterruptEx, unmask (IMS)
 *  restart: both units on                             pause: refuse sends, receive unit off, drain
 * </pre>
 */
final class Adapter {

    /** OID_GEN_SUPPORTED_LIST: the OIDs NDIS answers for this driver, and the ones it answers itself. */
    static final List<Integer> SUPPORTED_OIDS = List.of(
            Oid.OID_GEN_SUPPORTED_LIST,
            Oid.OID_GEN_MAXIMUM_FRAME_SIZE,
            Oid.OID_GEN_LINK_STATE,
            Oid.OID_GEN_MEDIA_CONNECT_STATUS,
            Oid.OID_GEN_MAX_LINK_SPEED,
            Oid.OID_GEN_MAC_OPTIONS,
            Oid.OID_GEN_CURRENT_LOOKAHEAD,
            Oid.OID_GEN_CURRENT_PACKET_FILTER,
            Oid.OID_802_3_PERMANENT_ADDRESS,
            Oid.OID_802_3_CURRENT_ADDRESS,
            Oid.OID_802_3_MULTICAST_LIST,
            Oid.OID_802_3_MAXIMUM_LIST_SIZE);

    final NdisMiniportAdapterHandle handle;
    final RegisterSpace registers;
    final DataPath dataPath;
    private final SharedMemory memory;
    private volatile NdisInterrupt interrupt;

    /** OID_802_3_MULTICAST_LIST: the groups last set (6 bytes each); only the OID thread writes it. */
    volatile byte[] multicastList = new byte[0];

    /** Causes the ISR read from ICR that the DPC has not handled yet (OR-ed in at DIRQL). */
    final AtomicInteger pendingCauses = new AtomicInteger();

    private Adapter(NdisMiniportAdapterHandle handle, RegisterSpace registers, SharedMemory memory, DataPath dataPath) {
        this.handle = handle;
        this.registers = registers;
        this.memory = memory;
        this.dataPath = dataPath;
    }

    /**
     * MiniportInitializeEx. Runs at PASSIVE_LEVEL. Brings the device up; on a failure undoes what it
     * did, in reverse order, and returns the failure.
     */
    static NdisStatus initialize(NdisMiniportAdapterHandle handle, DeviceResources resources) {
        RegisterSpace registers = resources.registers();
        Hardware.reset(registers);
        byte[] address = Hardware.readStationAddress(registers);

        SharedMemory memory = NdisM.allocateSharedMemory(handle, Hardware.SHARED_MEMORY_LENGTH, true);
        if (memory == null) {
            return NdisStatus.RESOURCES;
        }
        DataPath dataPath = DataPath.create(handle, registers, memory);
        if (dataPath == null) {
            NdisM.freeSharedMemory(handle, memory.length(), true, memory);
            return NdisStatus.RESOURCES;
        }
        Adapter adapter = new Adapter(handle, registers, memory, dataPath);

        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterRegistrationAttributes.of(adapter)
                        .withAttributeFlags(
                                MiniportAdapterRegistrationAttributes.NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE
                                        | MiniportAdapterRegistrationAttributes.NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER));
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(Hardware.MTU)
                        .maxLinkSpeed(Hardware.MAX_LINK_SPEED)
                        .initialLinkState(Hardware.readLinkState(registers))
                        .lookaheadSize(Hardware.MTU)
                        .macAddress(address)
                        .supportedPacketFilters(Hardware.SUPPORTED_PACKET_FILTERS)
                        .maxMulticastListSize(Hardware.MULTICAST_LIST_SIZE)
                        .supportedOidList(SUPPORTED_OIDS)
                        .macOptions(NdisMacOption.DEFAULT | NdisMacOption.NDIS_MAC_OPTION_FULL_DUPLEX)
                        .build());

        dataPath.programRings();
        registers.write32(Registers.RCTL, 0); // closed until a protocol sets OID_GEN_CURRENT_PACKET_FILTER
        registers.write32(Registers.ITR, Hardware.INTERRUPT_THROTTLE_MICROS);
        adapter.interrupt = NdisM.registerInterruptEx(handle, adapter, Interrupt.HANDLERS);
        registers.write32(Registers.IMS, Hardware.INTERRUPT_CAUSES);
        return NdisStatus.SUCCESS;
    }

    /** MiniportRestart. Runs at PASSIVE_LEVEL. Opens the data path, then turns both units on. */
    NdisStatus restart() {
        dataPath.restart();
        registers.write32(Registers.CTRL, Registers.CTRL_RX_ENABLE | Registers.CTRL_TX_ENABLE);
        return NdisStatus.SUCCESS;
    }

    /**
     * MiniportPause. Runs at PASSIVE_LEVEL. Refuses new sends, turns the receive unit off (the transmit
     * unit finishes the ring), and returns once nothing is held: never fails.
     */
    NdisStatus pause() {
        dataPath.refuseSends();
        registers.write32(Registers.CTRL, Registers.CTRL_TX_ENABLE);
        dataPath.pause();
        return NdisStatus.SUCCESS;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL; the adapter is Paused. Undoes initialize in reverse. */
    void halt() {
        registers.write32(Registers.IMC, Hardware.INTERRUPT_CAUSES);
        registers.write32(Registers.CTRL, 0);
        NdisM.deregisterInterruptEx(interrupt); // waits for the ISR and the DPC in flight
        Hardware.reset(registers); // the device forgets the rings before their memory goes
        dataPath.free();
        NdisM.freeSharedMemory(handle, memory.length(), true, memory);
    }
}
