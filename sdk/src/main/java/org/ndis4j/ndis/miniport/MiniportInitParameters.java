package org.ndis4j.ndis.miniport;

import org.ndis4j.hw.DeviceResources;

/**
 * NDIS_MINIPORT_INIT_PARAMETERS: what MiniportInitializeEx is told about its device.
 *
 * @param allocatedResources the device's translated resources: registers, bus memory, interrupt line
 * @param ifIndex            the interface index NDIS assigned
 */
public record MiniportInitParameters(DeviceResources allocatedResources, int ifIndex) {}
