package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisException;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.VirtualNic;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.FaultInjection;
import org.ndis4j.wire.InMemoryWire;
import org.ndis4j.wire.WirePeer;

/**
 * vmini's MiniportInitializeEx when NDIS has no receive NBL pool or no NBL for an RCB to give
 * (NdisAllocateNetBufferListPool, NdisAllocateNetBufferAndNetBufferList returning NULL, as the WDK
 * allows): it fails with NDIS_STATUS_RESOURCES having freed everything — the verifier's leak checks
 * after a failed initialize pass, every byte of shared memory is back, the RCB's MDL is released
 * (the leak detector is paranoid in tests) — and the same device then initializes.
 */
@ExtendWith(KernelExtension.class)
class VminiNoNblTest {

    @ParameterizedTest
    @EnumSource(
            value = FaultInjection.Allocation.class,
            names = {"NET_BUFFER_LIST_POOL", "NET_BUFFER_AND_NET_BUFFER_LIST"})
    void initializeFailsWithResourcesAndFreesEverything(FaultInjection.Allocation kind, Kernel kernel) {
        HostMemory memory = new HostMemory(16L << 20);
        InMemoryWire cable = InMemoryWire.pair();
        WirePeer peer = WirePeer.on(cable.b());
        VirtualNic nic = VirtualNic.builder("nic0", cable.a())
                .memory(memory)
                .permanentAddress(MacAddress.of("02:4e:44:00:00:01"))
                .build();
        try {
            PnpManager pnp = PnpManager.of(kernel);
            DriverObject vmini = pnp.loadDriver("vmini", VminiDriver::driverEntry);
            FaultInjection.of(kernel).failNext(kind, 1);

            assertThatThrownBy(() -> pnp.addDevice(vmini, nic.resources()))
                    .isInstanceOfSatisfying(
                            NdisException.class, e -> assertThat(e.status()).isEqualTo(NdisStatus.RESOURCES));
            assertThat(memory.allocatedBytes())
                    .as("shared memory after the failed initialize")
                    .isZero();

            NdisMiniportAdapterHandle adapter = pnp.addDevice(vmini, nic.resources());
            pnp.removeDevice(adapter);
            assertThat(memory.allocatedBytes()).as("shared memory after halt").isZero();
        } finally {
            nic.close();
            peer.close();
        }
    }
}
