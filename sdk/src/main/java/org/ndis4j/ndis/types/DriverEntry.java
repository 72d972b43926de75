package org.ndis4j.ndis.types;

/** A driver's DriverEntry. Runs at PASSIVE_LEVEL when the driver is loaded. */
@FunctionalInterface
public interface DriverEntry {

    /** Registers the driver with NDIS (for a miniport: {@code NdisM.registerMiniportDriver}). */
    NdisStatus driverEntry(DriverObject driverObject, String registryPath);
}
