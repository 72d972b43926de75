package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisException;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.ndis.types.NdisTimer;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

@ExtendWith(KernelExtension.class)
class AdapterLifecycleTest {

    @Test
    void addDeviceBringsTheAdapterToRunningAndRemoveToHalted(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        DriverObject driver = miniport.load(kernel, "life");
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter = pnp.addDevice(driver, TestMiniport.trivialDevice("dev0"));
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Running);
        assertThat(AdapterView.of(adapter).adapterContext()).isSameAs(miniport.last);
        assertThat(adapter.name()).isEqualTo("life/dev0");

        pnp.pause(adapter);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Paused);
        assertThat(pnp.restart(adapter)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Running);

        pnp.removeDevice(adapter);
        pnp.unloadDriver(driver);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Halted);
        assertThat(miniport.calls)
                .containsExactly("initialize", "restart", "pause", "restart", "pause", "halt", "unload");
    }

    @Test
    void failedInitializeLeavesTheAdapterHalted(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> NdisStatus.RESOURCES;
        DriverObject driver = miniport.load(kernel, "life");
        assertThatThrownBy(() -> PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("dev0")))
                .isInstanceOf(NdisException.class)
                .hasMessageContaining("RESOURCES");
        assertThat(AdapterView.of(miniport.last.handle).state()).isEqualTo(AdapterState.Halted);
        assertThat(miniport.calls).containsExactly("initialize");
    }

    @Test
    void pendingPauseAndRestartCompleteFromAWorkItem(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onRestart = a -> completeLater(a, () -> NdisM.restartComplete(a.handle, NdisStatus.SUCCESS));
        miniport.onPause = a -> completeLater(a, () -> NdisM.pauseComplete(a.handle));
        DriverObject driver = miniport.load(kernel, "life");
        NdisMiniportAdapterHandle adapter = PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("d"));
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Running);
        PnpManager.of(kernel).removeDevice(adapter);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Halted);
    }

    private static NdisStatus completeLater(TestMiniport.Adapter a, Runnable completion) {
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(AdapterView.of(a.handle).miniportDriver());
        Ndis.queueIoWorkItem(
                item,
                (Object c, NdisIoWorkItem self) -> {
                    Ndis.freeIoWorkItem(self);
                    completion.run();
                },
                null);
        return NdisStatus.PENDING;
    }

    @Test
    void linkStateIndicationsReachListenersWithDuplicatesSuppressed(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(miniport.load(kernel, "life"), TestMiniport.trivialDevice("dev0"));
        List<NdisStatusIndication> seen = new CopyOnWriteArrayList<>();
        AdapterView.of(adapter).addStatusListener(seen::add);
        NdisLinkState up = NdisLinkState.connected(1_000_000_000L);
        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, up));
        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, up)); // duplicate
        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, NdisLinkState.disconnected()));
        assertThat(seen)
                .extracting(NdisStatusIndication::statusBuffer)
                .containsExactly(up, NdisLinkState.disconnected());
        assertThat(seen.get(0).statusCode().code()).isEqualTo(0x40010017);
        assertThat(AdapterView.of(adapter).linkState()).isEqualTo(NdisLinkState.disconnected());
    }

    @Test
    void statusIndicationAfterHaltIsAViolation(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(miniport.load(kernel, "life"), TestMiniport.trivialDevice("d"));
        pnp.removeDevice(adapter);
        assertViolation(
                kernel,
                Rule.Status_IndicationState,
                () -> NdisM.indicateStatusEx(
                        adapter, NdisStatusIndication.linkState(adapter, NdisLinkState.connected(10_000_000L))));
    }

    @Test
    void statusIndicationBeforeRegistrationAttributesIsAViolation(Kernel kernel) {
        MiniportDriver<Object> early = new MiniportDriver<>() {
            @Override
            public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters p) {
                NdisM.indicateStatusEx(handle, NdisStatusIndication.linkState(handle, NdisLinkState.disconnected()));
                return NdisStatus.SUCCESS;
            }

            @Override
            public void haltEx(Object adapterContext, NdisHaltAction haltAction) {}
        };
        DriverObject driver = PnpManager.of(kernel).loadDriver("early", (d, r) -> {
            NdisM.registerMiniportDriver(d, r, null, early);
            return NdisStatus.SUCCESS;
        });
        var report = assertViolation(
                kernel,
                Rule.Status_IndicationState,
                () -> PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("d")));
        assertThat(report.driver()).isEqualTo("early");
        assertThat(report.thread()).contains("DelayedWorkQueue");
    }

    @Test
    void initializeWithoutAttributesIsAViolation(Kernel kernel) {
        MiniportDriver<Object> lazy = new MiniportDriver<>() {
            @Override
            public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters p) {
                return NdisStatus.SUCCESS;
            }

            @Override
            public void haltEx(Object adapterContext, NdisHaltAction haltAction) {}
        };
        DriverObject driver = PnpManager.of(kernel).loadDriver("lazy", (d, r) -> {
            NdisM.registerMiniportDriver(d, r, null, lazy);
            return NdisStatus.SUCCESS;
        });
        assertViolation(
                kernel,
                Rule.Init_SetAttributes,
                () -> PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("d")));
    }

    @Test
    void pauseCompleteWhileRunningIsAnIllegalTransition(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(miniport.load(kernel, "life"), TestMiniport.trivialDevice("d"));
        assertViolation(kernel, Rule.Adapter_StateTransition, () -> NdisM.pauseComplete(adapter));
    }

    @Test
    void pauseThatFailsIsAViolation(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onPause = a -> NdisStatus.FAILURE;
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(miniport.load(kernel, "life"), TestMiniport.trivialDevice("d"));
        var report = assertViolation(
                kernel,
                Rule.Adapter_StateTransition,
                () -> PnpManager.of(kernel).pause(adapter));
        assertThat(report.message()).contains("pause cannot fail");
    }

    @Test
    void restartingARunningAdapterIsAnIllegalTransition(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(miniport.load(kernel, "life"), TestMiniport.trivialDevice("d"));
        var report = assertViolation(
                kernel,
                Rule.Adapter_StateTransition,
                () -> PnpManager.of(kernel).restart(adapter));
        assertThat(report.message()).contains("Running -> Restarting");
    }

    @ParameterizedTest
    @EnumSource(AdapterState.class)
    void theStateMachineAllowsOnlyNdisTransitions(AdapterState from) {
        List<AdapterState> allowed = new ArrayList<>();
        for (AdapterState to : AdapterState.values()) {
            if (from.canMoveTo(to)) {
                allowed.add(to);
            }
        }
        List<AdapterState> expected = switch (from) {
            case Halted -> List.of(AdapterState.Initializing);
            case Initializing -> List.of(AdapterState.Halted, AdapterState.Paused);
            case Paused -> List.of(AdapterState.Halted, AdapterState.Restarting, AdapterState.Shutdown);
            case Restarting -> List.of(AdapterState.Paused, AdapterState.Running);
            case Running -> List.of(AdapterState.Pausing, AdapterState.Shutdown);
            case Pausing -> List.of(AdapterState.Paused);
            case Shutdown -> List.of();
        };
        assertThat(allowed).containsExactlyElementsOf(expected);
    }

    @Test
    void sleepAtDispatchIsAViolation(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(miniport.load(kernel, "life"), TestMiniport.trivialDevice("d"));
        // A timer routine runs at DISPATCH_LEVEL on a processor: sleeping there is the bug.
        NdisTimer timer = Ndis.allocateTimerObject(adapter, (Object c, NdisTimer t) -> NdisM.sleep(1000), null);
        var report = assertViolation(
                kernel, Rule.Irql_Miniport_Driver_Function, () -> Ndis.setTimerObject(timer, -10_000, 0, null));
        assertThat(report.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
        assertThat(report.processor()).isGreaterThanOrEqualTo(0);
        assertThat(report.driver()).isEqualTo("life");
        assertThat(report.message()).contains("NdisMSleep");
        assertThat(report.toText()).contains("STOP: 0x000000C4").contains("NdisMSleep");
        assertThat(report.toJson()).contains("\"rule\" : \"Irql_Miniport_Driver_Function\"");
    }

    @Test
    void sleepAtPassiveIsLegal(Kernel kernel) {
        Ndis.registerProtocolDriver(kernel, "enter"); // the test thread enters the kernel
        NdisM.sleep(100);
        assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
    }

    @Test
    void manyAdaptersAndManyKernelsAtOnce(Kernel first, Kernel second) throws Exception {
        Kernel third = Kernel.boot(KernelConfig.defaults().withName("third").withProcessors(1));
        try {
            List<Kernel> kernels = List.of(first, second, third);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            CountDownLatch workItemsRan = new CountDownLatch(kernels.size() * 4);
            for (Kernel k : kernels) {
                Thread t = new Thread(() -> {
                    try {
                        TestMiniport miniport = new TestMiniport();
                        DriverObject driver = miniport.load(k, "multi");
                        for (int i = 0; i < 4; i++) {
                            NdisMiniportAdapterHandle a =
                                    PnpManager.of(k).addDevice(driver, TestMiniport.trivialDevice("dev" + i));
                            NdisIoWorkItem item = Ndis.allocateIoWorkItem(a);
                            Ndis.queueIoWorkItem(
                                    item,
                                    (Kernel expected, NdisIoWorkItem self) -> {
                                        if (self.kernel() == expected) {
                                            workItemsRan.countDown();
                                        }
                                        Ndis.freeIoWorkItem(self);
                                    },
                                    k);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
            assertThat(failures).isEmpty();
            assertThat(workItemsRan.await(10, TimeUnit.SECONDS)).isTrue();
            for (Kernel k : kernels) {
                assertThat(PnpManager.of(k).devices())
                        .hasSize(4)
                        .allSatisfy(a -> assertThat(AdapterView.of(a).state()).isEqualTo(AdapterState.Running));
                waitUntil(() -> PnpManager.of(k).devices().stream()
                        .noneMatch(a -> AdapterView.of(a).isHaltWaitingForWorkItems()));
            }
            third.close();
            assertThat(third.isCrashed()).isFalse();
            assertThat(PnpManager.of(third).devices()).isEmpty();
        } finally {
            third.close();
        }
    }
}
