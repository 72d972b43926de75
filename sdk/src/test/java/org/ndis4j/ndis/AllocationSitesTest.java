package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisTimer;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.AllocationSites;
import org.ndis4j.verifier.Rule;

/**
 * Leak reports at halt name where the driver made each leaked object, the driver's frame first (not
 * NDIS's, not the PnP worker's), in the crash report's text and JSON; a kernel that records no
 * allocation stacks reports the same leak without them.
 */
@ExtendWith(KernelExtension.class)
class AllocationSitesTest {

    /** The report of removing a device whose MiniportInitializeEx leaks what {@code leak} allocates. */
    private static CrashReport leakAtHalt(Kernel kernel, Rule rule, Consumer<TestMiniport.Adapter> leak) {
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> {
            leak.accept(a);
            return NdisStatus.SUCCESS;
        };
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(miniport.load(kernel, "leaky"), TestMiniport.trivialDevice("l0"));
        return assertViolation(kernel, rule, () -> PnpManager.of(kernel).removeDevice(adapter));
    }

    /** The site's first frame is this test's driver code (the lambda passed as {@code leak}), not NDIS's. */
    private static void assertAllocatedHere(AllocationSite site, String objectPrefix) {
        assertThat(site.object()).startsWith(objectPrefix);
        assertThat(site.frames()).isNotEmpty().hasSizeLessThanOrEqualTo(AllocationSites.MAX_FRAMES);
        assertThat(site.frames().get(0)).contains("AllocationSitesTest.lambda$");
        // Below the driver's frames: who called the driver (NDIS's MiniportInitializeEx call, the PnP worker).
        assertThat(site.frames()).anyMatch(f -> f.startsWith("org.ndis4j.ndis.TestMiniport.initializeEx"));
    }

    @Test
    void aLeakedWorkItemNamesWhereTheDriverAllocatedIt(Kernel kernel) {
        CrashReport report = leakAtHalt(
                kernel, Rule.Init_NdisAllocateIoWorkItem, a -> a.workItem = Ndis.allocateIoWorkItem(a.handle));
        assertThat(report.allocations()).singleElement().satisfies(s -> assertAllocatedHere(s, "WORK_ITEM["));
        assertThat(report.thread())
                .contains("DelayedWorkQueue"); // the stack is the PnP worker's, the site the driver's
        String text = report.toText();
        assertThat(text.indexOf("Allocated: WORK_ITEM[leaky/l0/workitem]"))
                .isPositive()
                .isLessThan(text.indexOf("Stack:"));
        assertThat(report.toJson())
                .contains("\"allocations\" : [ {")
                .contains("\"object\" : \"WORK_ITEM[leaky/l0/workitem]\"")
                .contains("AllocationSitesTest.lambda$");
    }

    @Test
    void aLeakedTimerNamesWhereTheDriverAllocatedIt(Kernel kernel) {
        CrashReport report = leakAtHalt(
                kernel,
                Rule.TimerObject_Leak,
                a -> Ndis.allocateTimerObject(a.handle, (Object c, NdisTimer t) -> {}, null));
        assertThat(report.allocations()).singleElement().satisfies(s -> assertAllocatedHere(s, "TIMER["));
    }

    @Test
    void leakedSharedMemoryNamesWhereTheDriverAllocatedIt(Kernel kernel) {
        CrashReport report =
                leakAtHalt(kernel, Rule.SharedMemory_Leak, a -> NdisM.allocateSharedMemory(a.handle, 512, true));
        assertThat(report.allocations()).singleElement().satisfies(s -> assertAllocatedHere(s, "SharedMemory["));
    }

    @Test
    void aLeakedNblPoolNamesWhereTheDriverAllocatedIt(Kernel kernel) {
        CrashReport report = leakAtHalt(
                kernel,
                Rule.NblPool_Leak,
                a -> Ndis.allocateNetBufferListPool(a.handle, NetBufferListPoolParameters.withNetBuffer(0, 64)));
        assertThat(report.allocations()).singleElement().satisfies(s -> assertAllocatedHere(s, "POOL["));
    }

    @Test
    void aPoolFreedWithNblsAllocatedNamesThePoolAndEachNbl(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = PnpManager.of(kernel)
                .addDevice(new TestMiniport().load(kernel, "pools"), TestMiniport.trivialDevice("p0"));
        var pool = Ndis.allocateNetBufferListPool(adapter, NetBufferListPoolParameters.withNetBuffer(0, 64));
        var first = Ndis.allocateNetBufferList(pool, 0, 0);
        var second = Ndis.allocateNetBufferList(pool, 0, 0);
        CrashReport report =
                assertViolation(kernel, Rule.NblPool_FreeWithOutstanding, () -> Ndis.freeNetBufferListPool(pool));
        assertThat(report.allocations())
                .extracting(AllocationSite::object)
                .containsExactly(pool.toString(), first.toString(), second.toString());
        assertThat(report.allocations())
                .allSatisfy(s -> assertThat(s.frames().get(0)).contains("AllocationSitesTest.aPoolFreedWithNbls"));
    }

    @Test
    void aLeakedInterruptNamesWhereTheDriverRegisteredIt(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        miniport.deregisterInHalt = false;
        NdisMiniportAdapterHandle adapter = PnpManager.of(kernel)
                .addDevice(miniport.load(kernel, "irq"), new InterruptTestDevice("nic0").resources());
        CrashReport report = assertViolation(
                kernel, Rule.Interrupt_LeakAtHalt, () -> PnpManager.of(kernel).removeDevice(adapter));
        assertThat(report.allocations()).singleElement().satisfies(s -> {
            assertThat(s.object()).startsWith("INTERRUPT[");
            assertThat(s.frames().get(0)).contains("InterruptMiniport.initializeEx");
        });
    }

    @Test
    void aKernelThatRecordsNoAllocationStacksReportsTheSameLeakWithout() {
        try (Kernel kernel =
                Kernel.boot(KernelConfig.defaults().withName("nostacks").withAllocationStacks(false))) {
            assertThat(kernel.config().allocationStacks()).isFalse();
            CrashReport report = leakAtHalt(
                    kernel, Rule.Init_NdisAllocateIoWorkItem, a -> a.workItem = Ndis.allocateIoWorkItem(a.handle));
            assertThat(report.allocations()).isEmpty();
            assertThat(report.toText()).doesNotContain("Allocated:");
            assertThat(report.toJson()).contains("\"allocations\" : [ ]");
        }
    }
}
