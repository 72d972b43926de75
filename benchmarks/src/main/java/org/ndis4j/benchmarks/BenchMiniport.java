package org.ndis4j.benchmarks;

import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.NullDevice;

/**
 * The smallest miniport that reaches Running: it sets its registration and general attributes and
 * does nothing else. The benchmarks only need its adapter handle to allocate work items with.
 */
final class BenchMiniport implements MiniportDriver<NdisMiniportAdapterHandle> {

    private static final byte[] MAC = {2, 0, 0, 0, 0, 1};

    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
        NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(handle));
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(1_000_000_000L)
                        .initialLinkState(NdisLinkState.disconnected())
                        .macAddress(MAC)
                        .maxMulticastListSize(32)
                        .build());
        return NdisStatus.SUCCESS;
    }

    @Override
    public void haltEx(NdisMiniportAdapterHandle adapter, NdisHaltAction action) {}

    /** A booted kernel with this miniport loaded and one Running adapter. */
    static final class Rig implements AutoCloseable {
        final Kernel kernel;
        final NdisMiniportAdapterHandle adapter;

        Rig(String name, int criticalWorkers) {
            kernel = Kernel.boot(KernelConfig.defaults().withName(name).withWorkers(criticalWorkers, 1));
            BenchMiniport miniport = new BenchMiniport();
            DriverObject driver = PnpManager.of(kernel).loadDriver("benchmp", (driverObject, registryPath) -> {
                NdisM.registerMiniportDriver(driverObject, registryPath, null, miniport);
                return NdisStatus.SUCCESS;
            });
            adapter = PnpManager.of(kernel).addDevice(driver, trivialDevice(name + "-dev0"));
        }

        /** The kernel's CriticalWorkQueue threads (named {@code <kernel>-CriticalWorkQueue-<i>}). */
        Thread[] criticalWorkers() {
            String prefix = kernel.name() + "-CriticalWorkQueue-";
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(prefix))
                    .toArray(Thread[]::new);
        }

        @Override
        public void close() {
            kernel.close(); // removes the device (leak check of work items) and stops the threads
        }
    }

    static DeviceResources trivialDevice(String name) {
        return NullDevice.resources(name);
    }
}
