package org.ndis4j.ndis.types;

/**
 * DRIVER_UNLOAD: the unload routine a filter or protocol driver puts in its DRIVER_OBJECT
 * ({@link DriverObject#setDriverUnload}); a miniport's is MiniportDriverUnload, which
 * NdisMRegisterMiniportDriver installs. Runs at PASSIVE_LEVEL after every device of the driver is gone;
 * it deregisters what DriverEntry registered (NdisFDeregisterFilterDriver,
 * NdisDeregisterProtocolDriver). When it returns, nothing of the driver may run any more.
 */
@FunctionalInterface
public interface DriverUnload {
    void driverUnload(DriverObject driverObject);
}
