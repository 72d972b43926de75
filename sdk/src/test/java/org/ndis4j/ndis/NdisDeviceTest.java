package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.filter.FilterAttachParameters;
import org.ndis4j.ndis.filter.FilterDriver;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.HandleKind;
import org.ndis4j.ndis.types.NdisDeviceHandle;
import org.ndis4j.ndis.types.NdisDeviceObjectAttributes;
import org.ndis4j.ndis.types.NdisFilterDriverHandle;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

/**
 * NdisRegisterDeviceEx / NdisDeregisterDeviceEx, and the WDK's list of handles NdisAllocateIoWorkItem
 * takes: miniport adapter, miniport driver, filter module, filter driver, device; never a protocol's.
 */
@ExtendWith(KernelExtension.class)
class NdisDeviceTest {

    private static final NdisDeviceObjectAttributes CONTROL =
            NdisDeviceObjectAttributes.of("\\Device\\TestCtl", "\\DosDevices\\TestCtl");

    /** A miniport driver that registers a control device in DriverEntry and deregisters it at unload. */
    static final class ControlDeviceMiniport implements MiniportDriver<Object> {
        volatile NdisMiniportDriverHandle driverHandle;
        volatile NdisDeviceHandle device;
        volatile boolean deregisterAtUnload = true;

        DriverObject load(Kernel kernel, String name) {
            return PnpManager.of(kernel).loadDriver(name, (driverObject, registryPath) -> {
                driverHandle = NdisM.registerMiniportDriver(driverObject, registryPath, null, this);
                device = Ndis.registerDeviceEx(driverHandle, CONTROL);
                return device == null ? NdisStatus.RESOURCES : NdisStatus.SUCCESS;
            });
        }

        @Override
        public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters initParameters) {
            return NdisStatus.NOT_SUPPORTED; // no adapter in these tests
        }

        @Override
        public void haltEx(Object adapterContext, NdisHaltAction haltAction) {}

        @Override
        public void unload(DriverObject driverObject) {
            if (deregisterAtUnload) {
                Ndis.deregisterDeviceEx(device);
            }
            NdisM.deregisterMiniportDriver(driverHandle);
        }
    }

    /** A filter driver that keeps its driver handle; it attaches nowhere interesting. */
    static final class HandleKeepingFilter implements FilterDriver<NdisFilterModuleHandle> {
        volatile NdisFilterDriverHandle driverHandle;

        DriverObject load(Kernel kernel, String name) {
            return PnpManager.of(kernel).loadDriver(name, (driverObject, registryPath) -> {
                driverHandle = NdisF.registerFilterDriver(driverObject, null, this);
                return NdisStatus.SUCCESS;
            });
        }

        @Override
        public NdisStatus attach(NdisFilterModuleHandle handle, Object driverContext, FilterAttachParameters p) {
            NdisF.setAttributes(handle, handle);
            return NdisStatus.SUCCESS;
        }

        @Override
        public void detach(NdisFilterModuleHandle module) {}
    }

    /** Allocates a work item with {@code owner}, runs it once at PASSIVE_LEVEL, frees it. */
    private static void runAWorkItemOwnedBy(NdisHandle owner) throws InterruptedException {
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(owner);
        assertThat(item).isNotNull();
        assertThat(item.owner()).isSameAs(owner);
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Irql> irql = new AtomicReference<>();
        Ndis.queueIoWorkItem(
                item,
                (Object c, NdisIoWorkItem self) -> {
                    irql.set(Ke.getCurrentIrql());
                    ran.countDown();
                },
                null);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        waitUntil(() -> !item.isQueued());
        Ndis.freeIoWorkItem(item);
        assertThat(irql.get()).isEqualTo(Irql.PASSIVE_LEVEL);
    }

    // ---- the handles NdisAllocateIoWorkItem takes -----------------------------------------------

    @Test
    void aFilterDriverHandleMayOwnAWorkItem(Kernel kernel) throws Exception {
        HandleKeepingFilter filter = new HandleKeepingFilter();
        filter.load(kernel, "lwf");
        assertThat(filter.driverHandle.kind()).isEqualTo(HandleKind.FILTER_DRIVER);
        runAWorkItemOwnedBy(filter.driverHandle);
    }

    @Test
    void aDeviceHandleMayOwnAWorkItem(Kernel kernel) throws Exception {
        ControlDeviceMiniport miniport = new ControlDeviceMiniport();
        DriverObject driver = miniport.load(kernel, "ctl");
        assertThat(miniport.device.kind()).isEqualTo(HandleKind.DEVICE);
        assertThat(miniport.device.isRegistered()).isTrue();
        runAWorkItemOwnedBy(miniport.device);
        PnpManager.of(kernel).unloadDriver(driver); // MiniportDriverUnload deregisters the device
        assertThat(miniport.device.isRegistered()).isFalse();
    }

    @Test
    void aMiniportDriverAndAFilterModuleHandleMayOwnWorkItemsToo(Kernel kernel) throws Exception {
        HandleKeepingFilter filter = new HandleKeepingFilter();
        filter.load(kernel, "lwf");
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(new TestMiniport().load(kernel, "mp"), TestMiniport.trivialDevice("d"));
        runAWorkItemOwnedBy(adapter);
        runAWorkItemOwnedBy(AdapterView.of(adapter).miniportDriver());
        runAWorkItemOwnedBy(AdapterView.of(adapter).filters().get(0));
    }

    @Test
    void aDeregisteredDeviceHandleIsInvalid(Kernel kernel) {
        ControlDeviceMiniport miniport = new ControlDeviceMiniport();
        miniport.load(kernel, "ctl");
        NdisDeviceHandle device = miniport.device;
        Ndis.deregisterDeviceEx(device);
        miniport.deregisterAtUnload = false;
        CrashReport report = assertViolation(kernel, Rule.Handle_Invalid, () -> Ndis.allocateIoWorkItem(device));
        assertThat(report.message()).contains("which NdisDeregisterDeviceEx deregistered");
        assertThat(report.allocations())
                .singleElement()
                .satisfies(site -> assertThat(site.frames().get(0)).contains("NdisDeviceTest$ControlDeviceMiniport"));
    }

    @Test
    void aProtocolHandleIsStillRefused(Kernel kernel) {
        var protocol = Ndis.registerProtocolDriver(kernel, "tcpip");
        assertViolation(kernel, Rule.IoWorkItem_HandleKind, () -> Ndis.allocateIoWorkItem(protocol));
    }

    // ---- NdisRegisterDeviceEx / NdisDeregisterDeviceEx ------------------------------------------

    @Test
    void aFilterDriverRegistersADeviceWithItsFilterDriverHandle(Kernel kernel) {
        HandleKeepingFilter filter = new HandleKeepingFilter();
        filter.load(kernel, "lwf");
        NdisDeviceHandle device = Ndis.registerDeviceEx(filter.driverHandle, CONTROL);
        assertThat(device.attributes()).isEqualTo(CONTROL);
        assertThat(device.driverName()).isEqualTo("lwf");
        Ndis.deregisterDeviceEx(device);
        assertThat(device.isRegistered()).isFalse();
    }

    @Test
    void aNameTakenAlreadyFailsTheRegistration(Kernel kernel) {
        ControlDeviceMiniport miniport = new ControlDeviceMiniport();
        miniport.load(kernel, "ctl");
        HandleKeepingFilter filter = new HandleKeepingFilter();
        filter.load(kernel, "lwf");
        assertThat(Ndis.registerDeviceEx(filter.driverHandle, CONTROL)).isNull();
        NdisDeviceHandle other =
                Ndis.registerDeviceEx(filter.driverHandle, NdisDeviceObjectAttributes.of("\\Device\\Other", null));
        assertThat(other).isNotNull();
        Ndis.deregisterDeviceEx(other);
    }

    @Test
    void aDeviceLeftRegisteredAtUnloadIsDeviceLeakAtUnload(Kernel kernel) {
        ControlDeviceMiniport miniport = new ControlDeviceMiniport();
        miniport.deregisterAtUnload = false;
        DriverObject driver = miniport.load(kernel, "ctl");
        CrashReport report = assertViolation(
                kernel, Rule.Device_LeakAtUnload, () -> PnpManager.of(kernel).unloadDriver(driver));
        assertThat(report.parameters().get(1)).isEqualTo(1L);
        assertThat(report.message()).contains("ctl: 1 device(s)");
        assertThat(report.allocations()).singleElement().satisfies(site -> {
            assertThat(site.object()).isEqualTo(miniport.device.toString());
            assertThat(site.frames().get(0)).contains("NdisDeviceTest$ControlDeviceMiniport");
        });
    }

    @Test
    void registeringADeviceAboveAPassiveLevelIsIrqlMiscellaneousFunction(Kernel kernel) {
        HandleKeepingFilter filter = new HandleKeepingFilter();
        filter.load(kernel, "lwf");
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            assertViolation(
                    kernel,
                    Rule.Irql_Miscellaneous_Function,
                    () -> Ndis.registerDeviceEx(filter.driverHandle, CONTROL));
        } finally {
            Ke.lowerIrql(old);
        }
    }

    @Test
    void aProtocolHandleCannotRegisterADevice(Kernel kernel) {
        var protocol = Ndis.registerProtocolDriver(kernel, "tcpip");
        CrashReport report =
                assertViolation(kernel, Rule.Handle_Invalid, () -> Ndis.registerDeviceEx(protocol, CONTROL));
        assertThat(report.message()).contains("miniport driver handle or a filter driver handle");
    }
}
