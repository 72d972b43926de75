package org.ndis4j.ndis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.miniport.NdisShutdownAction;
import org.ndis4j.ndis.miniport.NetDevicePnPEvent;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.NullDevice;

/**
 * A small miniport for tests: it sets its attributes, and lets each test plug in what it does at
 * initialize, pause, restart and halt. It records the handlers NDIS called, in order.
 */
final class TestMiniport implements MiniportDriver<TestMiniport.Adapter> {

    /** The adapter context. */
    static final class Adapter {
        final NdisMiniportAdapterHandle handle;
        volatile NdisIoWorkItem workItem;

        Adapter(NdisMiniportAdapterHandle handle) {
            this.handle = handle;
        }
    }

    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Function<Adapter, NdisStatus> onInitialize = a -> NdisStatus.SUCCESS;
    volatile Function<Adapter, NdisStatus> onPause = a -> NdisStatus.SUCCESS;
    volatile Function<Adapter, NdisStatus> onRestart = a -> NdisStatus.SUCCESS;
    volatile Consumer<Adapter> onHalt = a -> {};
    volatile Consumer<Adapter> onShutdown = a -> {};
    volatile Consumer<Adapter> onDevicePnPEvent = a -> {};
    /** NDIS_MINIPORT_ATTRIBUTES_* of the registration attributes. */
    volatile int attributeFlags = MiniportAdapterRegistrationAttributes.of(this).attributeFlags();
    /** Each MiniportHaltEx's NdisHaltAction. */
    final List<NdisHaltAction> haltActions = new CopyOnWriteArrayList<>();
    /** Where NDIS called the handlers that are not in {@link #calls}: "handler(argument) IRQL thread-kind". */
    final List<String> contexts = new CopyOnWriteArrayList<>();

    volatile Adapter last;
    volatile NdisMiniportDriverHandle driverHandle;

    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
        calls.add("initialize");
        Adapter adapter = new Adapter(handle);
        last = adapter;
        NdisM.setMiniportAttributes(
                handle, MiniportAdapterRegistrationAttributes.of(adapter).withAttributeFlags(attributeFlags));
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(1_000_000_000L)
                        .initialLinkState(NdisLinkState.disconnected())
                        .macAddress(new byte[] {2, 0, 0, 0, 0, 1})
                        .maxMulticastListSize(32)
                        .build());
        return onInitialize.apply(adapter);
    }

    @Override
    public void haltEx(Adapter adapter, NdisHaltAction action) {
        calls.add("halt");
        haltActions.add(action);
        onHalt.accept(adapter);
    }

    @Override
    public NdisStatus pause(Adapter adapter) {
        calls.add("pause");
        return onPause.apply(adapter);
    }

    @Override
    public NdisStatus restart(Adapter adapter) {
        calls.add("restart");
        return onRestart.apply(adapter);
    }

    @Override
    public void shutdownEx(Adapter adapter, NdisShutdownAction action) {
        calls.add("shutdown");
        contexts.add("shutdown(" + action + ") " + Ke.getCurrentIrql() + " " + CurrentThread.kind());
        onShutdown.accept(adapter);
    }

    @Override
    public void devicePnPEventNotify(Adapter adapter, NetDevicePnPEvent event) {
        calls.add("pnp " + event.devicePnPEvent());
        contexts.add("pnp(" + event.devicePnPEvent() + ") " + Ke.getCurrentIrql() + " " + CurrentThread.kind());
        onDevicePnPEvent.accept(adapter);
    }

    @Override
    public void unload(DriverObject driverObject) {
        calls.add("unload");
        NdisM.deregisterMiniportDriver(driverHandle);
    }

    /** Loads this miniport as driver {@code name}. */
    DriverObject load(Kernel kernel, String name) {
        return PnpManager.of(kernel).loadDriver(name, (driverObject, registryPath) -> {
            driverHandle = NdisM.registerMiniportDriver(driverObject, registryPath, null, this);
            return NdisStatus.SUCCESS;
        });
    }

    /** A device with nothing behind its registers: enough for lifecycle tests. */
    static DeviceResources trivialDevice(String name) {
        return NullDevice.resources(name);
    }
}
