package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.FaultInjection;
import org.ndis4j.verifier.Rule;

/** NdisMAllocateSharedMemory / NdisMFreeSharedMemory and their accounting at halt. */
@ExtendWith(KernelExtension.class)
class SharedMemoryTest {

    private static NdisMiniportAdapterHandle adapter(Kernel kernel, TestMiniport miniport) {
        return PnpManager.of(kernel).addDevice(miniport.load(kernel, "shm"), TestMiniport.trivialDevice("d"));
    }

    @Test
    void theDriverAndTheDeviceSeeTheSameBytes(Kernel kernel) {
        DeviceResources device = TestMiniport.trivialDevice("d");
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(new TestMiniport().load(kernel, "shm"), device);
        SharedMemory block = NdisM.allocateSharedMemory(adapter, 4096, true);
        block.virtualAddress().setIntLE(8, 0xCAFEF00D);
        // The device reaches the same bytes by physical address through the bus.
        var bus = device.memory();
        assertThat(bus.map(block.physicalAddress(8), 4).getIntLE(0)).isEqualTo(0xCAFEF00D);
        NdisM.freeSharedMemory(adapter, 4096, true, block);
        assertThat(bus.allocatedBytes()).isZero();
    }

    @Test
    void allocationFailureReturnsNull(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel, new TestMiniport());
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.SHARED_MEMORY, 1);
        assertThat(NdisM.allocateSharedMemory(adapter, 64, false)).isNull();
    }

    @Test
    void sharedMemoryLeakedAtHaltIsReported(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> {
            NdisM.allocateSharedMemory(a.handle, 2048, true); // never freed
            return NdisStatus.SUCCESS;
        };
        NdisMiniportAdapterHandle adapter = adapter(kernel, miniport);
        var report = assertViolation(
                kernel, Rule.SharedMemory_Leak, () -> PnpManager.of(kernel).removeDevice(adapter));
        assertThat(report.message()).contains("2048 bytes");
    }

    @Test
    void freeingWithTheWrongLengthIsAViolation(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel, new TestMiniport());
        SharedMemory block = NdisM.allocateSharedMemory(adapter, 128, true);
        assertViolation(kernel, Rule.Handle_Invalid, () -> NdisM.freeSharedMemory(adapter, 64, true, block));
    }

    @Test
    void allocatingAtDispatchIsAnIrqlViolation(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel, new TestMiniport());
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            assertViolation(
                    kernel, Rule.Irql_Miniport_Driver_Function, () -> NdisM.allocateSharedMemory(adapter, 64, true));
        } finally {
            Ke.lowerIrql(old);
        }
    }
}
