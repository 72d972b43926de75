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
 */
public record DeviceResources(String deviceName, RegisterSpace registers, BusMemory memory, InterruptLine interrupt) {

    public DeviceResources {
        if (deviceName == null || registers == null || memory == null || interrupt == null) {
            throw new IllegalArgumentException("every device resource is required");
        }
    }
}
