package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.filter.FilterAttachParameters;
import org.ndis4j.ndis.filter.FilterDriver;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;

/**
 * A bind is atomic with respect to status indications and receives: NDIS takes the bind parameters
 * and, when ProtocolBindAdapterEx returns, puts the binding in the stack in step with the
 * indications. A link change in between reaches the protocol after its bind returned (none is lost,
 * none is repeated), and nothing — status or receive — reaches a binding while its
 * ProtocolBindAdapterEx runs (the handle NdisOpenAdapterEx returned is not in the protocol's hands
 * yet).
 */
@ExtendWith(KernelExtension.class)
class BindRaceTest {

    static final NdisLinkState UP = NdisLinkState.connected(1_000_000_000L);
    static final NdisLinkState DOWN = NdisLinkState.disconnected();

    /**
     * A protocol whose ProtocolBindAdapterEx stops twice, before and after NdisOpenAdapterEx, until the
     * test lets it go on; it records what NDIS tells it, in order, and whether it holds its binding
     * handle when NDIS calls it.
     */
    static final class SlowBinder implements ProtocolDriver<SlowBinder> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch beforeOpen = new CountDownLatch(1);
        final CountDownLatch goOpen = new CountDownLatch(1);
        final CountDownLatch afterOpen = new CountDownLatch(1);
        final CountDownLatch goReturn = new CountDownLatch(1);
        volatile NdisProtocolDriverHandle handle;
        volatile NdisBindingHandle binding;
        volatile boolean bound;

        @Override
        public NdisStatus bindAdapterEx(Object driverContext, NdisBindContext bindContext, NdisBindParameters p) {
            events.add("bind, told link " + describe(p.linkState()));
            beforeOpen.countDown();
            awaitLatch(goOpen);
            NdisBindingHandle opened = Ndis.openAdapterEx(handle, this, bindContext);
            afterOpen.countDown();
            awaitLatch(goReturn);
            binding = opened;
            events.add("bind returns");
            bound = true;
            return NdisStatus.SUCCESS;
        }

        @Override
        public NdisStatus unbindAdapterEx(NdisBindContext unbindContext, SlowBinder self) {
            return Ndis.closeAdapterEx(binding);
        }

        @Override
        public void statusEx(SlowBinder self, NdisStatusIndication indication) {
            events.add("status " + describe((NdisLinkState) indication.statusBuffer())
                    + (binding == null ? " before the protocol had its handle" : ""));
            Await.changed();
        }

        @Override
        public void receiveNetBufferLists(
                SlowBinder self, NetBufferList nbls, int portNumber, int count, int receiveFlags) {
            events.add("receive " + count + (binding == null ? " before the protocol had its handle" : ""));
            Ndis.returnNetBufferLists(binding, nbls, 0);
        }

        void register(Kernel kernel) {
            PnpManager.of(kernel).loadDriver("slowbinder", (d, r) -> {
                handle = Ndis.registerProtocolDriver(kernel, null, "slowbinder", this);
                return NdisStatus.SUCCESS;
            });
        }

        static String describe(NdisLinkState state) {
            return state.isConnected() ? "up" : "down";
        }

        static void awaitLatch(CountDownLatch latch) {
            try {
                if (!latch.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never let the bind go on");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertThat(latch.await(10, TimeUnit.SECONDS)).as(what).isTrue();
    }

    @Test
    void aLinkChangeBeforeTheOpenReachesTheProtocolOnceItsBindReturned(Kernel kernel) throws Exception {
        DataPathMiniport miniport = new DataPathMiniport(); // link down at initialize
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "mp");
        SlowBinder protocol = new SlowBinder();
        protocol.register(kernel);
        await(protocol.beforeOpen, "ProtocolBindAdapterEx called");

        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, UP));
        protocol.goOpen.countDown();
        protocol.goReturn.countDown();

        Await.until(kernel, "the link indication", Await.DEFAULT_TIMEOUT, () -> protocol.events.size() == 3);
        assertThat(protocol.events).containsExactly("bind, told link down", "bind returns", "status up");
    }

    @Test
    void aLinkChangeBetweenOpenAndReturnWaitsForTheReturn(Kernel kernel) throws Exception {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "mp");
        SlowBinder protocol = new SlowBinder();
        protocol.register(kernel);
        protocol.goOpen.countDown();
        await(protocol.afterOpen, "NdisOpenAdapterEx returned");

        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, UP));
        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, DOWN));
        assertThat(protocol.events).containsExactly("bind, told link down");
        protocol.goReturn.countDown();

        Await.until(kernel, "both link indications", Await.DEFAULT_TIMEOUT, () -> protocol.events.size() == 4);
        assertThat(protocol.events).containsExactly("bind, told link down", "bind returns", "status up", "status down");
    }

    @Test
    void aReceiveDuringTheBindIsNotIndicatedToTheBindingAndNdisReturnsIt(Kernel kernel) throws Exception {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "mp");
        SlowBinder protocol = new SlowBinder();
        protocol.register(kernel);
        protocol.goOpen.countDown();
        await(protocol.afterOpen, "NdisOpenAdapterEx returned");

        miniport.indicateHeld(miniport.last, DataPathMiniport.receiveChain(miniport.last, 2), 0);
        assertThat(miniport.returnedNbls).as("NBLs NDIS returned itself").hasValue(2);
        protocol.goReturn.countDown();
        Await.until(kernel, "the bind", Await.DEFAULT_TIMEOUT, () -> protocol.bound);

        miniport.indicateHeld(miniport.last, DataPathMiniport.receiveChain(miniport.last, 3), 0);
        assertThat(protocol.events).containsExactly("bind, told link down", "bind returns", "receive 3");
        assertThat(miniport.returnedNbls).hasValue(5);
    }

    /** Holds status indications until the test lets them through (a filter with a slow FilterStatus). */
    static final class HoldingFilter implements FilterDriver<NdisFilterModuleHandle> {
        final List<NdisStatusIndication> held = new CopyOnWriteArrayList<>();
        volatile NdisFilterModuleHandle module;

        @Override
        public NdisStatus attach(NdisFilterModuleHandle handle, Object driverContext, FilterAttachParameters p) {
            module = handle;
            NdisF.setAttributes(handle, handle);
            return NdisStatus.SUCCESS;
        }

        @Override
        public void detach(NdisFilterModuleHandle handle) {}

        @Override
        public void status(NdisFilterModuleHandle handle, NdisStatusIndication indication) {
            held.add(indication);
        }

        void release() {
            for (NdisStatusIndication indication : held) {
                NdisF.indicateStatus(module, indication);
            }
            held.clear();
        }
    }

    @Test
    void aLinkStateTheBindParametersAlreadyGaveIsNotRepeated(Kernel kernel) throws Exception {
        HoldingFilter filter = new HoldingFilter();
        PnpManager.of(kernel).loadDriver("holder", (d, r) -> {
            NdisF.registerFilterDriver(d, null, filter);
            return NdisStatus.SUCCESS;
        });
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "mp");
        // NDIS records link up for the adapter; the filter sits on the indication.
        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, UP));
        assertThat(filter.held).hasSize(1);

        SlowBinder protocol = new SlowBinder();
        protocol.register(kernel);
        await(protocol.beforeOpen, "ProtocolBindAdapterEx called");
        filter.release(); // the stale "up" arrives while the protocol binds, told "up" already
        protocol.goOpen.countDown();
        protocol.goReturn.countDown();
        Await.until(kernel, "the bind", Await.DEFAULT_TIMEOUT, () -> protocol.bound);

        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, DOWN));
        filter.release();
        Await.until(kernel, "link down", Await.DEFAULT_TIMEOUT, () -> protocol.events.size() == 3);
        assertThat(protocol.events).containsExactly("bind, told link up", "bind returns", "status down");
    }

    /** Holds the first receive indication until the test lets it go, then returns its NBLs. */
    static final class HoldingReceiver implements ProtocolDriver<HoldingReceiver> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile NdisProtocolDriverHandle handle;
        volatile NdisBindingHandle binding;

        @Override
        public NdisStatus bindAdapterEx(Object driverContext, NdisBindContext bindContext, NdisBindParameters p) {
            binding = Ndis.openAdapterEx(handle, this, bindContext);
            return NdisStatus.SUCCESS;
        }

        @Override
        public NdisStatus unbindAdapterEx(NdisBindContext unbindContext, HoldingReceiver self) {
            events.add("close called");
            Await.changed();
            NdisStatus status = Ndis.closeAdapterEx(binding);
            events.add("close returned");
            return status;
        }

        @Override
        public void receiveNetBufferLists(
                HoldingReceiver self, NetBufferList nbls, int portNumber, int count, int receiveFlags) {
            events.add("receive");
            entered.countDown();
            SlowBinder.awaitLatch(release);
            Ndis.returnNetBufferLists(binding, nbls, 0);
            events.add("NBLs returned");
        }
    }

    @Test
    void aReceiveInFlightFinishesBeforeNdisCloseAdapterExReturns(Kernel kernel) throws Exception {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "mp");
        HoldingReceiver protocol = new HoldingReceiver();
        PnpManager.of(kernel).loadDriver("holder", (d, r) -> {
            protocol.handle = Ndis.registerProtocolDriver(kernel, null, "holder", protocol);
            return NdisStatus.SUCCESS;
        });
        Await.until(kernel, "the bind", Await.DEFAULT_TIMEOUT, () -> protocol.binding != null);

        Thread receiver = new Thread(
                () -> miniport.indicateHeld(miniport.last, DataPathMiniport.receiveChain(miniport.last, 1), 0),
                "indicating");
        receiver.start();
        await(protocol.entered, "the receive indication");
        Thread remover = new Thread(() -> PnpManager.of(kernel).removeDevice(adapter), "removing");
        remover.start();
        Await.until(kernel, "the unbind", Await.DEFAULT_TIMEOUT, () -> protocol.events.contains("close called"));
        protocol.release.countDown();
        receiver.join(10_000);
        remover.join(10_000);

        assertThat(protocol.events).containsExactly("receive", "close called", "NBLs returned", "close returned");
        assertThat(miniport.returnedNbls).hasValue(1);
    }
}
