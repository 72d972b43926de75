package org.ndis4j.hw;

/**
 * What the bus hands a miniport for one device (the translated resources of
 * NDIS_MINIPORT_INIT_PARAMETERS.AllocatedResources): its register space, the memory it can reach
 * by DMA, and its interrupt line.
 *
 * @param deviceName a name for traces and crash reports ("vnic0")
 * @param registers  the register (I/O) space; {@code NdisM.mapIoSpace} returns it
 * @param memory     bus memory that shared memory is allocated from
 * @param interrupt  the interrupt line; {@code NdisM.registerInterruptEx} connects it
 * @param slot       the hot-plug slot the device sits in: pulling the card starts a surprise removal
 */
public record DeviceResources(
        String deviceName, RegisterSpace registers, BusMemory memory, InterruptLine interrupt, HotPlugSlot slot) {

    public DeviceResources {
        if (deviceName == null || registers == null || memory == null || interrupt == null || slot == null) {
            throw new IllegalArgumentException("every device resource is required");
        }
    }

    /** A device in a slot of its own (named after it) that nothing pulls unless someone asks it to. */
    public DeviceResources(String deviceName, RegisterSpace registers, BusMemory memory, InterruptLine interrupt) {
        this(deviceName, registers, memory, interrupt, new HotPlugSlot(deviceName));
    }
}
