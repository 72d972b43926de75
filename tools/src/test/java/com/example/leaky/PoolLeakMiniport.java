package com.example.leaky;

import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * A user's miniport with a seeded bug that shows only at halt: MiniportInitializeEx allocates an NBL
 * pool with the adapter handle, and MiniportHaltEx forgets NdisFreeNetBufferListPool — rule
 * NblPool_Leak, found by NDIS after MiniportHaltEx returned. RunCommandIT runs it with
 * {@code ndis4j run --jar} and stops it with SIGTERM: exit status 4, and a leak report.
 */
public final class PoolLeakMiniport implements MiniportDriver<PoolLeakMiniport.Adapter> {

    /** The adapter context: what initialize allocated. */
    static final class Adapter {
        final NetBufferListPool pool;

        Adapter(NetBufferListPool pool) {
            this.pool = pool;
        }
    }

    private volatile NdisMiniportDriverHandle driverHandle;

    /** DriverEntry. Runs at PASSIVE_LEVEL. */
    public static NdisStatus driverEntry(DriverObject driverObject, String registryPath) {
        PoolLeakMiniport driver = new PoolLeakMiniport();
        driver.driverHandle = NdisM.registerMiniportDriver(driverObject, registryPath, null, driver);
        return NdisStatus.SUCCESS;
    }

    /** MiniportDriverUnload. Runs at PASSIVE_LEVEL. */
    @Override
    public void unload(DriverObject driverObject) {
        NdisM.deregisterMiniportDriver(driverHandle);
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters initParameters) {
        NetBufferListPool pool =
                Ndis.allocateNetBufferListPool(handle, NetBufferListPoolParameters.withNetBuffer(0x4b41454c, 1514));
        if (pool == null) {
            return NdisStatus.RESOURCES;
        }
        NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(new Adapter(pool)));
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(1_000_000_000L)
                        .initialLinkState(NdisLinkState.disconnected())
                        .macAddress(new byte[] {0x02, 0x4e, 0x44, 0, 0, 0x4c})
                        .build());
        return NdisStatus.SUCCESS;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. The bug: the pool is never freed. */
    @Override
    public void haltEx(Adapter adapter, NdisHaltAction haltAction) {}
}
