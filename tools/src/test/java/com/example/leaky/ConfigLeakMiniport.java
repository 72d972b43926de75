package com.example.leaky;

import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.config.NdisConfigurationObject;
import org.ndis4j.ndis.config.NdisParameterType;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisConfigurationHandle;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * A user's miniport with a seeded bug, in a package of its own as a user's would be: its
 * MiniportInitializeEx opens the adapter's configuration, reads a keyword, and fails without
 * NdisCloseConfiguration — rule NdisOpenConfigurationEx, bug check 0xC4. RunCommandIT puts it in a
 * jar and runs it with {@code ndis4j run --jar}.
 */
public final class ConfigLeakMiniport implements MiniportDriver<Object> {

    /** DriverEntry. Runs at PASSIVE_LEVEL. */
    public static NdisStatus driverEntry(DriverObject driverObject, String registryPath) {
        NdisM.registerMiniportDriver(driverObject, registryPath, null, new ConfigLeakMiniport());
        return NdisStatus.SUCCESS;
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL. The bug: the handle is never closed. */
    @Override
    public NdisStatus initializeEx(
            NdisMiniportAdapterHandle miniportAdapterHandle, MiniportInitParameters initParameters) {
        NdisConfigurationHandle configuration =
                Ndis.openConfigurationEx(NdisConfigurationObject.of(miniportAdapterHandle));
        Ndis.readConfiguration(configuration, "*JumboPacket", NdisParameterType.NdisParameterInteger);
        return NdisStatus.RESOURCES;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. Never reached. */
    @Override
    public void haltEx(Object adapterContext, NdisHaltAction haltAction) {}
}
