package org.ndis4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.nbl.DataPathFlags;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.NullDevice;
import org.ndis4j.testing.ProtocolEdge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A full send round trip on a Running adapter, from the benchmark thread (an outside thread at
 * PASSIVE_LEVEL, as ipstack's sender is): NdisSendNetBufferLists → the stack →
 * MiniportSendNetBufferLists, which takes its send spin lock (as vmini does for the ring), sets the
 * status and calls NdisMSendNetBufferListsComplete at once → the stack → the protocol's
 * ProtocolSendNetBufferListsComplete. Verifier, IRQL checks, ownership and lock tracking are on, as
 * in tests. {@code gc.alloc.rate.norm} should be ≈ 0 B/op.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar SendRoundTrip -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SendRoundTripBenchmark {

    private Kernel kernel;
    private ProtocolEdge edge;
    private CompletingUpper upper;
    private NetBufferListPool pool;
    private NetBufferList nbl;

    /** Completes every send inside MiniportSendNetBufferLists, under its send lock. */
    static final class Miniport implements MiniportDriver<Miniport> {
        NdisMiniportAdapterHandle handle;
        NdisSpinLock sendLock;

        @Override
        public NdisStatus initializeEx(NdisMiniportAdapterHandle h, MiniportInitParameters p) {
            handle = h;
            sendLock = Ndis.allocateSpinLock();
            NdisM.setMiniportAttributes(h, MiniportAdapterRegistrationAttributes.of(this));
            NdisM.setMiniportAttributes(
                    h,
                    MiniportAdapterGeneralAttributes.builder()
                            .mtuSize(1500)
                            .maxLinkSpeed(1_000_000_000L)
                            .initialLinkState(NdisLinkState.disconnected())
                            .macAddress(new byte[] {2, 0, 0, 0, 0, 8})
                            .maxMulticastListSize(32)
                            .build());
            return NdisStatus.SUCCESS;
        }

        @Override
        public void sendNetBufferLists(Miniport ctx, NetBufferList nbls, int portNumber, int sendFlags) {
            Ndis.acquireSpinLock(sendLock);
            for (NetBufferList n = nbls; n != null; n = n.next()) {
                n.setStatus(NdisStatus.SUCCESS);
            }
            Ndis.releaseSpinLock(sendLock);
            boolean dispatch = (sendFlags & DataPathFlags.NDIS_SEND_FLAGS_DISPATCH_LEVEL) != 0;
            NdisM.sendNetBufferListsComplete(
                    handle, nbls, dispatch ? DataPathFlags.NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
        }

        @Override
        public void haltEx(Miniport ctx, NdisHaltAction action) {
            Ndis.freeSpinLock(sendLock);
        }
    }

    /** Counts completions; frees them when the benchmark allocates per send. */
    static final class CompletingUpper implements ProtocolEdge.Upper {
        boolean freeOnComplete;
        long completed;

        @Override
        public void receiveNetBufferLists(NetBufferList nbls, int port, int count, int flags) {}

        @Override
        public void sendNetBufferListsComplete(NetBufferList nbls, int flags) {
            completed++;
            if (freeOnComplete) {
                Ndis.freeNetBufferList(nbls);
            }
        }
    }

    @Setup(Level.Trial)
    public void boot() {
        kernel = Kernel.boot(KernelConfig.defaults().withName("tx-bench"));
        Miniport miniport = new Miniport();
        PnpManager pnp = PnpManager.of(kernel);
        DriverObject driver = pnp.loadDriver("benchmp", (driverObject, registryPath) -> {
            NdisM.registerMiniportDriver(driverObject, registryPath, null, miniport);
            return NdisStatus.SUCCESS;
        });
        NdisMiniportAdapterHandle adapter = pnp.addDevice(driver, NullDevice.resources("nic0"));
        upper = new CompletingUpper();
        edge = ProtocolEdge.bind(adapter, upper);
        pool = Ndis.allocateNetBufferListPool(
                edge.protocolHandle(), NetBufferListPoolParameters.withNetBuffer(0, 1514));
        nbl = Ndis.allocateNetBufferList(pool, 0, 0);
        nbl.firstNetBuffer().setDataLength(64);
    }

    @TearDown(Level.Trial)
    public void shutdown() {
        Ndis.freeNetBufferList(nbl);
        Ndis.freeNetBufferListPool(pool);
        kernel.close();
    }

    /** One preallocated NBL: NdisSendNetBufferLists → miniport → NdisMSendNetBufferListsComplete → protocol. */
    @Benchmark
    public long sendAndComplete() {
        upper.freeOnComplete = false;
        edge.sendNetBufferLists(nbl, DataPathFlags.NDIS_DEFAULT_PORT_NUMBER, 0);
        return upper.completed;
    }

    /**
     * What a protocol's send costs NDIS per datagram: NdisAllocateNetBufferList, set the frame's
     * length, the round trip above, NdisFreeNetBufferList in the completion.
     */
    @Benchmark
    public long allocateSendCompleteFree() {
        upper.freeOnComplete = true;
        NetBufferList fresh = Ndis.allocateNetBufferList(pool, 0, 0);
        fresh.firstNetBuffer().setDataLength(64);
        edge.sendNetBufferLists(fresh, DataPathFlags.NDIS_DEFAULT_PORT_NUMBER, 0);
        return upper.completed;
    }
}
