package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.filter.FilterAttachParameters;
import org.ndis4j.ndis.filter.FilterDriver;
import org.ndis4j.ndis.filter.FilterModuleState;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

/** Filters and protocols over a miniport: attach, bind, status routing, unbind, detach. */
@ExtendWith(KernelExtension.class)
class UpperEdgeTest {

    /** Records everything NDIS tells it; binds to every adapter. */
    static final class RecordingProtocol implements ProtocolDriver<RecordingProtocol.Binding> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<NdisStatusIndication> statuses = new CopyOnWriteArrayList<>();
        volatile NdisProtocolDriverHandle handle;
        volatile Binding last;

        final class Binding {
            volatile NdisBindingHandle bindingHandle;
        }

        @Override
        public NdisStatus bindAdapterEx(Object driverContext, NdisBindContext bindContext, NdisBindParameters p) {
            Binding binding = new Binding();
            binding.bindingHandle = Ndis.openAdapterEx(handle, binding, bindContext);
            last = binding;
            events.add("bind " + p.adapterName() + " mtu " + p.mtuSize() + " at " + Ke.getCurrentIrql());
            return NdisStatus.SUCCESS;
        }

        @Override
        public NdisStatus unbindAdapterEx(NdisBindContext unbindContext, Binding binding) {
            events.add("unbind");
            return Ndis.closeAdapterEx(binding.bindingHandle);
        }

        @Override
        public void statusEx(Binding binding, NdisStatusIndication indication) {
            statuses.add(indication);
        }

        /** Registers from a DriverEntry, as a protocol does: NDIS binds once DriverEntry has returned. */
        NdisProtocolDriverHandle register(Kernel kernel, String name) {
            PnpManager.of(kernel).loadDriver(name, (d, r) -> {
                handle = Ndis.registerProtocolDriver(kernel, null, name, this);
                return NdisStatus.SUCCESS;
            });
            return handle;
        }
    }

    /** A filter that records its life and, if asked, rewrites link-state indications as disconnected. */
    static final class LinkFilter implements FilterDriver<LinkFilter.Module> {
        final String name;
        final List<String> events;
        final boolean rewrite;

        static final class Module {
            final NdisFilterModuleHandle handle;
            volatile NdisIoWorkItem workItem;

            Module(NdisFilterModuleHandle handle) {
                this.handle = handle;
            }
        }

        LinkFilter(String name, List<String> events, boolean rewrite) {
            this.name = name;
            this.events = events;
            this.rewrite = rewrite;
        }

        @Override
        public NdisStatus attach(NdisFilterModuleHandle handle, Object driverContext, FilterAttachParameters p) {
            events.add(name + " attach layer " + p.layer());
            NdisF.setAttributes(handle, new Module(handle));
            return NdisStatus.SUCCESS;
        }

        @Override
        public void detach(Module module) {
            events.add(name + " detach");
        }

        @Override
        public NdisStatus restart(Module module) {
            events.add(name + " restart");
            return NdisStatus.SUCCESS;
        }

        @Override
        public NdisStatus pause(Module module) {
            events.add(name + " pause");
            return NdisStatus.SUCCESS;
        }

        DriverObject load(Kernel kernel) {
            return PnpManager.of(kernel).loadDriver(name, (d, r) -> {
                NdisF.registerFilterDriver(d, null, this);
                return NdisStatus.SUCCESS;
            });
        }
    }

    /** The same filter with a FilterStatus handler: it rewrites every link state as disconnected. */
    static final class RewritingFilter implements FilterDriver<NdisFilterModuleHandle> {
        @Override
        public NdisStatus attach(NdisFilterModuleHandle handle, Object driverContext, FilterAttachParameters p) {
            NdisF.setAttributes(handle, handle);
            return NdisStatus.SUCCESS;
        }

        @Override
        public void detach(NdisFilterModuleHandle module) {}

        @Override
        public void status(NdisFilterModuleHandle module, NdisStatusIndication indication) {
            NdisF.indicateStatus(
                    module, new NdisStatusIndication(module, indication.statusCode(), NdisLinkState.disconnected()));
        }
    }

    @Test
    void stackIsBuiltBottomUpAndTornDownTopDown(Kernel kernel) {
        List<String> events = new CopyOnWriteArrayList<>();
        new LinkFilter("lower", events, false).load(kernel);
        new LinkFilter("upper", events, false).load(kernel);
        RecordingProtocol protocol = new RecordingProtocol();
        protocol.register(kernel, "tcpip");
        TestMiniport miniport = new TestMiniport();
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter = pnp.addDevice(miniport.load(kernel, "mp"), TestMiniport.trivialDevice("d"));

        assertThat(events)
                .containsExactly("lower attach layer 0", "upper attach layer 1", "lower restart", "upper restart");
        assertThat(protocol.events).containsExactly("bind mp/d mtu 1500 at PASSIVE_LEVEL");
        assertThat(AdapterView.of(adapter).filterStates()).containsOnly(FilterModuleState.Running);

        events.clear();
        pnp.removeDevice(adapter);
        assertThat(protocol.events).containsExactly("bind mp/d mtu 1500 at PASSIVE_LEVEL", "unbind");
        assertThat(events).containsExactly("upper pause", "lower pause", "upper detach", "lower detach");
        assertThat(miniport.calls).containsExactly("initialize", "restart", "pause", "halt");
        assertThat(protocol.last.bindingHandle.isClosed()).isTrue();
    }

    @Test
    void linkStateReachesTheProtocolThroughAFilterThatBypassesStatus(Kernel kernel) {
        new LinkFilter("passthrough", new CopyOnWriteArrayList<>(), false).load(kernel);
        RecordingProtocol protocol = new RecordingProtocol();
        protocol.register(kernel, "tcpip");
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(new TestMiniport().load(kernel, "mp"), TestMiniport.trivialDevice("d"));
        NdisLinkState up = NdisLinkState.connected(10_000_000_000L);
        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, up));
        assertThat(protocol.statuses)
                .extracting(NdisStatusIndication::statusBuffer)
                .containsExactly(up);
        assertThat(protocol.statuses.get(0).sourceHandle()).isSameAs(adapter);
    }

    @Test
    void aFilterWithAStatusHandlerCanRewriteTheIndication(Kernel kernel) {
        PnpManager.of(kernel).loadDriver("rewriter", (d, r) -> {
            NdisF.registerFilterDriver(d, null, new RewritingFilter());
            return NdisStatus.SUCCESS;
        });
        RecordingProtocol protocol = new RecordingProtocol();
        protocol.register(kernel, "tcpip");
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(new TestMiniport().load(kernel, "mp"), TestMiniport.trivialDevice("d"));
        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, NdisLinkState.connected(1_000_000L)));
        assertThat(protocol.statuses).hasSize(1);
        assertThat(protocol.statuses.get(0).statusBuffer()).isEqualTo(NdisLinkState.disconnected());
        assertThat(protocol.statuses.get(0).sourceHandle()).isInstanceOf(NdisFilterModuleHandle.class);
    }

    @Test
    void protocolRegisteredLaterBindsToRunningAdapters(Kernel kernel) {
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(new TestMiniport().load(kernel, "mp"), TestMiniport.trivialDevice("d"));
        RecordingProtocol protocol = new RecordingProtocol();
        NdisProtocolDriverHandle handle = protocol.register(kernel, "late");
        waitUntil(() -> protocol.events.size() == 1); // NDIS binds on its PnP thread, after registration

        assertThat(protocol.last.bindingHandle.adapter()).isSameAs(adapter);
        Ndis.deregisterProtocolDriver(handle);
        assertThat(protocol.events).containsExactly(protocol.events.get(0), "unbind");
    }

    @Test
    void filterRegisteredLaterIsInsertedIntoARunningStack(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        RecordingProtocol protocol = new RecordingProtocol();
        protocol.register(kernel, "tcpip");
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(miniport.load(kernel, "mp"), TestMiniport.trivialDevice("d"));
        List<String> events = new CopyOnWriteArrayList<>();
        new LinkFilter("late", events, false).load(kernel);
        assertThat(events).containsExactly("late attach layer 0", "late restart");
        assertThat(protocol.events)
                .containsExactly(
                        "bind mp/d mtu 1500 at PASSIVE_LEVEL", "unbind", "bind mp/d mtu 1500 at PASSIVE_LEVEL");
        assertThat(miniport.calls).containsExactly("initialize", "restart", "pause", "restart");
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Running);
    }

    @Test
    void aFilterAllocatesWorkItemsWithItsFilterHandle(Kernel kernel) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        LinkFilter filter = new LinkFilter("wi", events, false);
        filter.load(kernel);
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(new TestMiniport().load(kernel, "mp"), TestMiniport.trivialDevice("d"));
        NdisFilterModuleHandle module = AdapterView.of(adapter).filters().get(0);
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(module);
        CountDownLatch ran = new CountDownLatch(1);
        Ndis.queueIoWorkItem(
                item,
                (NdisFilterModuleHandle m, NdisIoWorkItem self) -> {
                    if (self.owner() == m && Ke.getCurrentIrql() == Irql.PASSIVE_LEVEL) {
                        ran.countDown();
                    }
                },
                module);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        waitUntil(() -> !item.isQueued());
        Ndis.freeIoWorkItem(item);
    }

    @Test
    void aProtocolBindingHandleIsRefusedAsAWorkItemOwner(Kernel kernel) {
        RecordingProtocol protocol = new RecordingProtocol();
        protocol.register(kernel, "tcpip");
        PnpManager.of(kernel).addDevice(new TestMiniport().load(kernel, "mp"), TestMiniport.trivialDevice("d"));
        NdisBindingHandle binding = protocol.last.bindingHandle;
        assertViolation(kernel, Rule.IoWorkItem_HandleKind, () -> Ndis.allocateIoWorkItem(binding));
    }

    @Test
    void bindWithoutOpeningIsAViolation(Kernel kernel) {
        ProtocolDriver<Object> lazy = new ProtocolDriver<>() {
            @Override
            public NdisStatus bindAdapterEx(Object c, NdisBindContext b, NdisBindParameters p) {
                return NdisStatus.SUCCESS;
            }

            @Override
            public NdisStatus unbindAdapterEx(NdisBindContext u, Object binding) {
                return NdisStatus.SUCCESS;
            }
        };
        Ndis.registerProtocolDriver(kernel, null, "lazy", lazy);
        DriverObject driver = new TestMiniport().load(kernel, "mp");
        assertViolation(
                kernel,
                Rule.Handle_Invalid,
                () -> PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("d")));
    }

    @Test
    void setAttributesOutsideAttachIsAViolation(Kernel kernel) {
        new LinkFilter("f", new CopyOnWriteArrayList<>(), false).load(kernel);
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(new TestMiniport().load(kernel, "mp"), TestMiniport.trivialDevice("d"));
        NdisFilterModuleHandle module = AdapterView.of(adapter).filters().get(0);
        assertViolation(kernel, Rule.Init_SetAttributes, () -> NdisF.setAttributes(module, "again"));
    }
}
