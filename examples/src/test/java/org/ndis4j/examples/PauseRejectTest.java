package org.ndis4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.linkflap.LinkDevice;
import org.ndis4j.examples.linkflap.LinkFlapDriver;
import org.ndis4j.examples.vmini.VminiDriver;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.kernel.KDpc;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.VirtualNic;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.wire.InMemoryWire;

/**
 * The example miniports' reject path: NDIS hands sends to MiniportSendNetBufferLists while the
 * adapter is Pausing, and vmini and link-flap complete each at once with NDIS_STATUS_PAUSED (the
 * verifier stops a miniport that keeps them: Nbl_OutstandingAtPause). A protocol that keeps one
 * received NBL holds vmini's pause open (MiniportPause waits for its receives), which makes the
 * Pausing window something a test can send into.
 */
@ExtendWith(KernelExtension.class)
class PauseRejectTest {

    private static final MacAddress VMINI = MacAddress.of("02:4e:44:00:0c:01");
    private static final long WAIT_SECONDS = 10;

    /** A protocol that keeps the first NBL chain it receives, and records its send completions. */
    static final class KeepingProtocol implements ProtocolDriver<KeepingProtocol> {
        final List<NdisStatus> completions = new CopyOnWriteArrayList<>();
        private final Map<NdisOidRequest, CompletableFuture<NdisStatus>> pendingOids = new ConcurrentHashMap<>();
        volatile NdisProtocolDriverHandle handle;
        volatile NdisBindingHandle binding;
        volatile NetBufferList kept;
        private volatile NetBufferListPool pool;

        void register(Kernel kernel) {
            PnpManager.of(kernel).loadDriver("keeper", (driverObject, registryPath) -> {
                handle = Ndis.registerProtocolDriver(kernel, null, "keeper", this);
                return NdisStatus.SUCCESS;
            });
        }

        @Override
        public NdisStatus bindAdapterEx(Object context, NdisBindContext bindContext, NdisBindParameters parameters) {
            pool = Ndis.allocateNetBufferListPool(handle, NetBufferListPoolParameters.withNetBuffer(0, 0));
            binding = Ndis.openAdapterEx(handle, this, bindContext);
            return NdisStatus.SUCCESS;
        }

        @Override
        public NdisStatus unbindAdapterEx(NdisBindContext unbindContext, KeepingProtocol self) {
            NdisStatus status = Ndis.closeAdapterEx(binding);
            Ndis.freeNetBufferListPool(pool);
            return status;
        }

        @Override
        public void receiveNetBufferLists(KeepingProtocol self, NetBufferList nbls, int port, int count, int flags) {
            if ((flags & NDIS_RECEIVE_FLAGS_RESOURCES) == 0 && kept == null) {
                kept = nbls; // held: the miniport's pause waits for it
            } else if ((flags & NDIS_RECEIVE_FLAGS_RESOURCES) == 0) {
                Ndis.returnNetBufferLists(binding, nbls, 0);
            }
        }

        @Override
        public void sendNetBufferListsComplete(KeepingProtocol self, NetBufferList nbls, int flags) {
            for (NetBufferList nbl = nbls; nbl != null; ) {
                NetBufferList next = nbl.next();
                nbl.setNext(null);
                completions.add(nbl.status());
                Ndis.freeNetBufferList(nbl);
                nbl = next;
            }
        }

        void send(byte[] frame) {
            ByteBuf data = PooledByteBufAllocator.DEFAULT.buffer(frame.length).writeBytes(frame);
            NetBufferList nbl = Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, data, 0, frame.length);
            nbl.setSourceHandle(binding);
            Ndis.sendNetBufferLists(binding, nbl, NDIS_DEFAULT_PORT_NUMBER, 0);
        }

        @Override
        public void oidRequestComplete(KeepingProtocol self, NdisOidRequest request, NdisStatus status) {
            CompletableFuture<NdisStatus> future = pendingOids.remove(request);
            if (future != null) {
                future.complete(status);
            }
        }

        /** NdisOidRequest, waiting for ProtocolOidRequestComplete when it pends. */
        NdisStatus request(NdisOidRequest request) throws Exception {
            CompletableFuture<NdisStatus> future = new CompletableFuture<>();
            pendingOids.put(request, future);
            NdisStatus status = Ndis.oidRequest(binding, request);
            if (status != NdisStatus.PENDING) {
                pendingOids.remove(request);
                return status;
            }
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        void returnKept() {
            NetBufferList chain = kept;
            kept = null;
            Ndis.returnNetBufferLists(binding, chain, 0);
        }
    }

    /** A 60-byte Ethernet frame to {@code destination}. */
    private static byte[] frame(MacAddress destination, int seq) {
        byte[] f = new byte[60];
        System.arraycopy(destination.bytes(), 0, f, 0, 6);
        System.arraycopy(MacAddress.of("02:00:00:00:00:99").bytes(), 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5; // IEEE local experimental
        f[14] = (byte) seq;
        return f;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void vminiRejectsSendsThatArriveWhilePausingWithPaused(Kernel kernel) throws Exception {
        InMemoryWire wire = InMemoryWire.pair();
        HostMemory memory = new HostMemory(16L << 20);
        try (VirtualNic nic = VirtualNic.builder("vnic", wire.a())
                .memory(memory)
                .permanentAddress(VMINI)
                .build()) {
            KeepingProtocol protocol = new KeepingProtocol();
            protocol.register(kernel);
            PnpManager pnp = PnpManager.of(kernel);
            NdisMiniportAdapterHandle adapter =
                    pnp.addDevice(pnp.loadDriver("vmini", VminiDriver::driverEntry), nic.resources());
            await(
                    "bound and link up",
                    () -> protocol.binding != null
                            && AdapterView.of(adapter).linkState().isConnected());
            assertThat(protocol.request(NdisOidRequest.setUlong(
                            Oid.OID_GEN_CURRENT_PACKET_FILTER, NdisPacketType.NDIS_PACKET_TYPE_DIRECTED)))
                    .isEqualTo(NdisStatus.SUCCESS);

            // A frame from the wire: vmini indicates it, the protocol keeps it.
            ByteBuf incoming = wire.b().alloc().buffer(60).writeBytes(frame(VMINI, 1));
            assertThat(wire.b().send(incoming)).isTrue();
            wire.b().flush();
            await("the received NBL kept", () -> protocol.kept != null);

            // MiniportPause refuses new sends first, turns the receive unit off, then waits for the NBL.
            CompletableFuture<Void> pause = CompletableFuture.runAsync(() -> pnp.pause(adapter));
            await(
                    "vmini's MiniportPause under way",
                    () -> (nic.resources().registers().read32(Registers.CTRL) & Registers.CTRL_RX_ENABLE) == 0);
            assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Pausing);

            protocol.send(frame(MacAddress.of("02:00:00:00:00:99"), 2));
            // Completed inside the send call by vmini itself (NDIS passes sends down while Pausing).
            assertThat(protocol.completions).containsExactly(NdisStatus.PAUSED);
            assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Pausing);

            protocol.returnKept();
            pause.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Paused);
            assertThat(pnp.restart(adapter)).isEqualTo(NdisStatus.SUCCESS);

            // vmini counted the refused send as a transmit discard: its reject path ran, not NDIS's.
            NdisOidRequest statistics = NdisOidRequest.query(Oid.OID_GEN_STATISTICS, NdisStatisticsInfo.SIZE);
            assertThat(protocol.request(statistics)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(NdisStatisticsInfo.decode(statistics.result()).ifOutDiscards())
                    .isEqualTo(1);
            pnp.removeDevice(adapter);
            assertThat(memory.allocatedBytes()).isZero();
        } finally {
            wire.b().close();
        }
    }

    @Test
    @KernelOptions(dpcTimeoutMillis = 60_000) // both processors are held by a DPC on purpose
    void linkFlapRejectsSendsThatArriveWhilePausingWithPaused(Kernel kernel) throws Exception {
        KeepingProtocol protocol = new KeepingProtocol();
        protocol.register(kernel);
        PnpManager pnp = PnpManager.of(kernel);
        LinkDevice device = new LinkDevice("dev0");
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(pnp.loadDriver("linkflap", LinkFlapDriver::driverEntry), device.resources());
        await("bound", () -> protocol.binding != null);
        protocol.send(frame(VMINI, 1)); // Running, link down: answered at once, not kept
        assertThat(protocol.completions).containsExactly(NdisStatus.MEDIA_DISCONNECTED);

        // Hold both processors: link-flap's MiniportPause cancels its periodic poll timer, and NDIS then
        // flushes the DPC queues, so the pause stays in Pausing until the processors are let go.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(kernel.processorCount());
        for (int cpu = 0; cpu < kernel.processorCount(); cpu++) {
            KDpc blocker = kernel.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> {
                        held.countDown();
                        awaitQuietly(release);
                    },
                    null,
                    "blocker");
            Ke.setTargetProcessorDpc(blocker, cpu);
            Ke.insertQueueDpc(blocker, null, null);
        }
        assertThat(held.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> pause = CompletableFuture.runAsync(() -> pnp.pause(adapter));
        try {
            await(
                    "link-flap's MiniportPause waiting in NdisCancelTimerObject",
                    () -> Thread.getAllStackTraces().entrySet().stream()
                            .anyMatch(e -> e.getKey().getState() == Thread.State.WAITING
                                    && Arrays.stream(e.getValue())
                                            .anyMatch(f -> f.getClassName().endsWith("LinkFlapAdapter")
                                                    && f.getMethodName().equals("pause"))));
            assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Pausing);
            protocol.send(frame(VMINI, 2)); // handed down by NDIS, rejected by link-flap
            assertThat(protocol.completions).containsExactly(NdisStatus.MEDIA_DISCONNECTED, NdisStatus.PAUSED);
        } finally {
            release.countDown();
        }
        pause.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Paused);
        assertThat(pnp.restart(adapter)).isEqualTo(NdisStatus.SUCCESS);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
