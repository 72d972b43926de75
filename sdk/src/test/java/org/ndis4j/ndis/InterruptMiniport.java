package org.ndis4j.ndis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.InterruptHandlers;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.miniport.NdisReceiveThrottleParameters;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * A miniport for interrupt tests: it registers its interrupt in MiniportInitializeEx and
 * deregisters it in MiniportHaltEx (each switchable), and its ISR reads and clears the
 * {@link InterruptTestDevice}'s cause register. Tests plug in what the ISR and DPC do, and read
 * what each saw ("IRQL kind cpuN").
 */
final class InterruptMiniport
        implements MiniportDriver<InterruptMiniport.Adapter>, InterruptHandlers<InterruptMiniport.Adapter> {

    /** The adapter context, also the interrupt context. */
    static final class Adapter {
        final NdisMiniportAdapterHandle handle;
        final RegisterSpace registers;
        /** Causes the ISR read and the DPC has not handled yet. */
        final AtomicInteger pendingCauses = new AtomicInteger();

        volatile NdisInterrupt interrupt;

        Adapter(NdisMiniportAdapterHandle handle, RegisterSpace registers) {
            this.handle = handle;
            this.registers = registers;
        }
    }

    /** What MiniportInterruptDPC does. */
    @FunctionalInterface
    interface DpcHook {
        void run(Adapter adapter, Object dpcContext, NdisReceiveThrottleParameters throttle);
    }

    /** Reads and clears the cause register; "not recognized" when it is 0. */
    static final Function<Adapter, MiniportInterruptResult> READ_CAUSE = a -> {
        int cause = a.registers.read32(InterruptTestDevice.REG_ICR);
        if (cause == 0) {
            return MiniportInterruptResult.NOT_RECOGNIZED;
        }
        a.pendingCauses.getAndUpdate(c -> c | cause);
        return MiniportInterruptResult.RECOGNIZED_QUEUE_DEFAULT_DPC;
    };

    volatile boolean registerInInitialize = true;
    volatile boolean deregisterInHalt = true;
    /** Runs at the end of MiniportInitializeEx, after the interrupt is registered (if it is). */
    volatile java.util.function.Consumer<Adapter> onInitialize = a -> {};
    /** What MiniportInitializeEx returns. */
    volatile NdisStatus initializeStatus = NdisStatus.SUCCESS;

    volatile Function<Adapter, MiniportInterruptResult> onIsr = READ_CAUSE;
    volatile DpcHook onDpc = (a, ctx, t) -> a.pendingCauses.set(0);
    volatile Adapter last;
    final List<String> isrSeen = new CopyOnWriteArrayList<>();
    final List<String> dpcSeen = new CopyOnWriteArrayList<>();

    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
        Adapter adapter = new Adapter(handle, params.allocatedResources().registers());
        last = adapter;
        NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(adapter));
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(1_000_000_000L)
                        .initialLinkState(NdisLinkState.disconnected())
                        .macAddress(new byte[] {2, 0, 0, 0, 0, 2})
                        .maxMulticastListSize(32)
                        .build());
        if (registerInInitialize) {
            adapter.interrupt = NdisM.registerInterruptEx(handle, adapter, this);
        }
        onInitialize.accept(adapter);
        return initializeStatus;
    }

    @Override
    public void haltEx(Adapter adapter, NdisHaltAction action) {
        if (deregisterInHalt && adapter.interrupt != null) {
            NdisM.deregisterInterruptEx(adapter.interrupt);
        }
    }

    @Override
    public MiniportInterruptResult interrupt(Adapter adapter) {
        isrSeen.add(where());
        return onIsr.apply(adapter);
    }

    @Override
    public void interruptDpc(Adapter adapter, Object dpcContext, NdisReceiveThrottleParameters throttle) {
        dpcSeen.add(where() + " ctx=" + dpcContext + " max=" + throttle.maxNblsToIndicate() + " more="
                + throttle.moreNblsPending());
        onDpc.run(adapter, dpcContext, throttle);
    }

    /** Loads this miniport as driver {@code name}. */
    DriverObject load(Kernel kernel, String name) {
        return PnpManager.of(kernel).loadDriver(name, (driverObject, registryPath) -> {
            NdisM.registerMiniportDriver(driverObject, registryPath, null, this);
            return NdisStatus.SUCCESS;
        });
    }

    private static String where() {
        return Ke.getCurrentIrql() + " " + CurrentThread.kind() + " cpu" + Ke.getCurrentProcessorNumber();
    }
}
