package org.ndis4j.ndis;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.filter.FilterAttachParameters;
import org.ndis4j.ndis.filter.FilterDriver;
import org.ndis4j.ndis.miniport.InterruptHandlers;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.miniport.NdisReceiveThrottleParameters;
import org.ndis4j.ndis.nbl.NetBuffer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

/**
 * NBLs through the whole stack: a miniport with a real interrupt (ISR → DPC → indicate), a filter
 * with every data-path handler, and a protocol that sends, receives and returns.
 */
@ExtendWith(KernelExtension.class)
class StackDataPathTest {

    /** Receives from its DPC, completes sends at once, frees what comes back. */
    static final class RxMiniport implements MiniportDriver<RxMiniport.Adapter>, InterruptHandlers<RxMiniport.Adapter> {
        static final class Adapter {
            final NdisMiniportAdapterHandle handle;
            final InterruptTestDevice device;
            volatile NdisInterrupt interrupt;
            volatile NetBufferListPool pool;

            Adapter(NdisMiniportAdapterHandle handle, InterruptTestDevice device) {
                this.handle = handle;
                this.device = device;
            }
        }

        final InterruptTestDevice device = new InterruptTestDevice("rx0");
        final List<String> wire = new CopyOnWriteArrayList<>();
        final List<String> indicatedFrom = new CopyOnWriteArrayList<>();
        final List<String> returned = new CopyOnWriteArrayList<>();
        volatile List<String> nextFrames = List.of();
        volatile Adapter last;

        @Override
        public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
            Adapter a = new Adapter(handle, device);
            last = a;
            NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(a));
            NdisM.setMiniportAttributes(
                    handle,
                    MiniportAdapterGeneralAttributes.builder()
                            .mtuSize(1500)
                            .maxLinkSpeed(1_000_000_000L)
                            .initialLinkState(NdisLinkState.connected(1_000_000_000L))
                            .macAddress(new byte[] {2, 0, 0, 0, 0, 3})
                            .maxMulticastListSize(32)
                            .build());
            a.pool = Ndis.allocateNetBufferListPool(handle, NetBufferListPoolParameters.withNetBuffer(1, 1514));
            a.interrupt = NdisM.registerInterruptEx(handle, a, this);
            return NdisStatus.SUCCESS;
        }

        @Override
        public void haltEx(Adapter a, NdisHaltAction action) {
            NdisM.deregisterInterruptEx(a.interrupt);
            Ndis.freeNetBufferListPool(a.pool);
        }

        @Override
        public MiniportInterruptResult interrupt(Adapter a) {
            return a.device.read32(InterruptTestDevice.REG_ICR) == 0
                    ? MiniportInterruptResult.NOT_RECOGNIZED
                    : MiniportInterruptResult.RECOGNIZED_QUEUE_DEFAULT_DPC;
        }

        @Override
        public void interruptDpc(Adapter a, Object ctx, NdisReceiveThrottleParameters throttle) {
            List<NetBufferList> nbls = new ArrayList<>();
            for (String frame : nextFrames) {
                NetBufferList nbl = Ndis.allocateNetBufferList(a.pool, 0, 0);
                NetBuffer nb = nbl.firstNetBuffer();
                nb.data().setBytes(0, frame.getBytes(US_ASCII));
                nb.setDataLength(frame.length());
                nbl.setSourceHandle(a.handle); // the miniport's own handle, as netvmini sets it
                nbls.add(nbl);
            }
            indicatedFrom.add(Ke.getCurrentIrql() + " cpu" + Ke.getCurrentProcessorNumber());
            NetBufferList chain = DataPathMiniport.link(nbls);
            NdisM.indicateReceiveNetBufferLists(
                    a.handle, chain, NDIS_DEFAULT_PORT_NUMBER, nbls.size(), NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL);
        }

        @Override
        public void sendNetBufferLists(Adapter a, NetBufferList nbls, int port, int flags) {
            for (NetBufferList nbl = nbls; nbl != null; nbl = nbl.next()) {
                wire.add(text(nbl));
                nbl.setStatus(NdisStatus.SUCCESS);
            }
            NdisM.sendNetBufferListsComplete(a.handle, nbls, 0);
        }

        @Override
        public void returnNetBufferLists(Adapter a, NetBufferList nbls, int flags) {
            NetBufferList nbl = nbls;
            while (nbl != null) {
                NetBufferList next = nbl.next();
                nbl.setNext(null);
                returned.add(text(nbl));
                Ndis.freeNetBufferList(nbl);
                nbl = next;
            }
        }
    }

    /** Counts everything and passes it on; drops sends whose frame says "drop". */
    static final class CountingFilter implements FilterDriver<NdisFilterModuleHandle> {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public NdisStatus attach(NdisFilterModuleHandle handle, Object c, FilterAttachParameters p) {
            NdisF.setAttributes(handle, handle);
            return NdisStatus.SUCCESS;
        }

        @Override
        public void detach(NdisFilterModuleHandle m) {}

        @Override
        public void sendNetBufferLists(NdisFilterModuleHandle m, NetBufferList nbls, int port, int flags) {
            seen.add("send " + NetBufferList.count(nbls));
            if (text(nbls).equals("drop")) {
                nbls.setStatus(NdisStatus.FAILURE);
                NdisF.sendNetBufferListsComplete(m, nbls, 0);
                return;
            }
            NdisF.sendNetBufferLists(m, nbls, port, flags);
        }

        @Override
        public void sendNetBufferListsComplete(NdisFilterModuleHandle m, NetBufferList nbls, int flags) {
            seen.add("complete " + NetBufferList.count(nbls));
            NdisF.sendNetBufferListsComplete(m, nbls, flags);
        }

        @Override
        public void receiveNetBufferLists(NdisFilterModuleHandle m, NetBufferList nbls, int port, int n, int flags) {
            seen.add("receive " + n);
            NdisF.indicateReceiveNetBufferLists(m, nbls, port, n, flags);
        }

        @Override
        public void returnNetBufferLists(NdisFilterModuleHandle m, NetBufferList nbls, int flags) {
            seen.add("return " + NetBufferList.count(nbls));
            NdisF.returnNetBufferLists(m, nbls, flags);
        }
    }

    /** Sends frames from its own pool; receives, records and (if told) returns at once. */
    static final class Protocol implements ProtocolDriver<Protocol> {
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<String> completed = new CopyOnWriteArrayList<>();
        final List<NetBufferList> kept = new CopyOnWriteArrayList<>();
        volatile boolean returnAtOnce = true;
        volatile NdisProtocolDriverHandle handle;
        volatile NdisBindingHandle binding;
        volatile NetBufferListPool pool;

        @Override
        public NdisStatus bindAdapterEx(Object c, NdisBindContext bindContext, NdisBindParameters p) {
            pool = Ndis.allocateNetBufferListPool(handle, NetBufferListPoolParameters.withNetBuffer(2, 0));
            binding = Ndis.openAdapterEx(handle, this, bindContext);
            return NdisStatus.SUCCESS;
        }

        @Override
        public NdisStatus unbindAdapterEx(NdisBindContext u, Protocol self) {
            NdisStatus status = Ndis.closeAdapterEx(binding);
            Ndis.freeNetBufferListPool(pool);
            return status;
        }

        @Override
        public void receiveNetBufferLists(Protocol self, NetBufferList nbls, int port, int n, int flags) {
            for (NetBufferList nbl = nbls; nbl != null; nbl = nbl.next()) {
                received.add(text(nbl) + ((flags & NDIS_RECEIVE_FLAGS_RESOURCES) != 0 ? " (copied)" : ""));
            }
            if ((flags & NDIS_RECEIVE_FLAGS_RESOURCES) != 0) {
                return;
            }
            if (returnAtOnce) {
                Ndis.returnNetBufferLists(binding, nbls, 0);
            } else {
                kept.add(nbls);
            }
        }

        @Override
        public void sendNetBufferListsComplete(Protocol self, NetBufferList nbls, int flags) {
            NetBufferList nbl = nbls;
            while (nbl != null) {
                NetBufferList next = nbl.next();
                nbl.setNext(null);
                completed.add(text(nbl) + " " + nbl.status());
                Ndis.freeNetBufferList(nbl);
                nbl = next;
            }
        }

        /** One NBL per frame, stamped with the binding as SourceHandle, chained. */
        NetBufferList frames(String... texts) {
            List<NetBufferList> nbls = new ArrayList<>();
            for (String t : texts) {
                ByteBuf data = PooledByteBufAllocator.DEFAULT.buffer(64);
                data.writeBytes(t.getBytes(US_ASCII));
                NetBufferList nbl = Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, data, 0, t.length());
                nbl.setSourceHandle(binding);
                nbls.add(nbl);
            }
            return DataPathMiniport.link(nbls);
        }

        void register(Kernel kernel, String name) {
            PnpManager.of(kernel).loadDriver(name, (d, r) -> {
                handle = Ndis.registerProtocolDriver(kernel, null, name, this);
                return NdisStatus.SUCCESS;
            });
        }
    }

    static String text(NetBufferList nbl) {
        NetBuffer nb = nbl.firstNetBuffer();
        return nb.data().toString(nb.dataOffset(), nb.dataLength(), US_ASCII);
    }

    private CountingFilter filter;
    private RxMiniport miniport;

    private NdisMiniportAdapterHandle stack(Kernel kernel, Protocol... protocols) {
        filter = new CountingFilter();
        PnpManager.of(kernel).loadDriver("counting", (d, r) -> {
            NdisF.registerFilterDriver(d, null, filter);
            return NdisStatus.SUCCESS;
        });
        int i = 0;
        for (Protocol p : protocols) {
            p.register(kernel, "proto" + i++);
        }
        miniport = new RxMiniport();
        DriverObject driver = PnpManager.of(kernel).loadDriver("rxmp", (d, r) -> {
            NdisM.registerMiniportDriver(d, r, null, miniport);
            return NdisStatus.SUCCESS;
        });
        NdisMiniportAdapterHandle adapter = PnpManager.of(kernel).addDevice(driver, miniport.device.resources());
        for (Protocol p : protocols) {
            waitUntil(() -> p.binding != null);
        }
        return adapter;
    }

    @Test
    void interruptToDpcToIndicationToProtocolAndBack(Kernel kernel) {
        Protocol protocol = new Protocol();
        stack(kernel, protocol);
        miniport.nextFrames = List.of("hello", "world");
        miniport.device.assertCause(InterruptTestDevice.CAUSE_RX); // the hardware raises its line

        waitUntil(() -> miniport.returned.size() == 2);
        assertThat(protocol.received).containsExactly("hello", "world");
        assertThat(miniport.indicatedFrom).singleElement().asString().startsWith("DISPATCH_LEVEL cpu");
        assertThat(miniport.returned).containsExactly("hello", "world");
        assertThat(filter.seen).containsExactly("receive 2", "return 2");
    }

    @Test
    void protocolSendGoesThroughTheFilterToTheMiniportAndCompletesBackUp(Kernel kernel) {
        Protocol protocol = new Protocol();
        stack(kernel, protocol);
        Ndis.sendNetBufferLists(protocol.binding, protocol.frames("a", "b", "c"), NDIS_DEFAULT_PORT_NUMBER, 0);
        assertThat(miniport.wire).containsExactly("a", "b", "c");
        assertThat(protocol.completed).containsExactly("a SUCCESS", "b SUCCESS", "c SUCCESS");
        assertThat(filter.seen).containsExactly("send 3", "complete 3");
    }

    @Test
    void aFilterCanDropASendAndCompleteItItself(Kernel kernel) {
        Protocol protocol = new Protocol();
        stack(kernel, protocol);
        Ndis.sendNetBufferLists(protocol.binding, protocol.frames("drop"), NDIS_DEFAULT_PORT_NUMBER, 0);
        assertThat(miniport.wire).isEmpty();
        assertThat(protocol.completed).containsExactly("drop FAILURE");
    }

    @Test
    void aProtocolMayKeepIndicatedNblsAndReturnThemLater(Kernel kernel) {
        Protocol protocol = new Protocol();
        protocol.returnAtOnce = false;
        stack(kernel, protocol);
        miniport.nextFrames = List.of("kept");
        miniport.device.assertCause(InterruptTestDevice.CAUSE_RX);
        waitUntil(() -> protocol.kept.size() == 1);
        assertThat(miniport.returned).isEmpty();
        Ndis.returnNetBufferLists(protocol.binding, protocol.kept.remove(0), 0);
        assertThat(miniport.returned).containsExactly("kept");
    }

    @Test
    void withTwoProtocolsEachCopiesAndNdisReturnsAtOnce(Kernel kernel) {
        Protocol first = new Protocol();
        Protocol second = new Protocol();
        stack(kernel, first, second);
        miniport.nextFrames = List.of("both");
        miniport.device.assertCause(InterruptTestDevice.CAUSE_RX);
        waitUntil(() -> miniport.returned.size() == 1);
        assertThat(first.received).containsExactly("both (copied)");
        assertThat(second.received).containsExactly("both (copied)");
    }

    @Test
    void aSendWithoutTheBindingAsSourceHandleIsAViolation(Kernel kernel) {
        Protocol protocol = new Protocol();
        stack(kernel, protocol);
        NetBufferList nbl = protocol.frames("x");
        nbl.setSourceHandle(null);
        assertViolation(
                kernel,
                Rule.Send_SourceHandle,
                () -> Ndis.sendNetBufferLists(protocol.binding, nbl, NDIS_DEFAULT_PORT_NUMBER, 0));
    }
}
