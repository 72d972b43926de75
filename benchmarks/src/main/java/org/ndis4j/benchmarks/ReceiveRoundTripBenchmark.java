package org.ndis4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.DeviceResources;
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
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.NullDevice;
import org.ndis4j.testing.ProtocolEdge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A full receive round trip on a Running adapter: NdisMIndicateReceiveNetBufferLists → the stack →
 * a bound protocol's ProtocolReceiveNetBufferLists → NdisReturnNetBufferLists → the stack →
 * MiniportReturnNetBufferLists, with ownership tracking and the pause accounting on. The miniport re-indicates the same preallocated NBLs (its
 * RCBs, as netvmini does), so {@code gc.alloc.rate.norm} should be ≈ 0 B/op.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar ReceiveRoundTrip -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReceiveRoundTripBenchmark {

    /** NBLs per indication (one chain). */
    @Param({"1", "32"})
    public int batch;

    private Kernel kernel;
    private Miniport miniport;

    /** A miniport with a receive pool and {@code batch} RCB-like NBLs chained once at initialize. */
    static final class Miniport implements MiniportDriver<Miniport> {
        final int batch;
        NdisMiniportAdapterHandle handle;
        NetBufferListPool pool;
        NetBufferList chain;
        long returned;

        Miniport(int batch) {
            this.batch = batch;
        }

        @Override
        public NdisStatus initializeEx(NdisMiniportAdapterHandle h, MiniportInitParameters p) {
            handle = h;
            NdisM.setMiniportAttributes(h, MiniportAdapterRegistrationAttributes.of(this));
            NdisM.setMiniportAttributes(
                    h,
                    MiniportAdapterGeneralAttributes.builder()
                            .mtuSize(1500)
                            .maxLinkSpeed(1_000_000_000L)
                            .initialLinkState(NdisLinkState.disconnected())
                            .macAddress(new byte[] {2, 0, 0, 0, 0, 9})
                            .maxMulticastListSize(32)
                            .build());
            pool = Ndis.allocateNetBufferListPool(h, NetBufferListPoolParameters.withNetBuffer(0, 1514));
            NetBufferList previous = null;
            for (int i = 0; i < batch; i++) {
                NetBufferList nbl = Ndis.allocateNetBufferList(pool, 0, 0);
                nbl.firstNetBuffer().setDataLength(60);
                nbl.setSourceHandle(h); // a miniport's receive NBLs name its adapter (NDIS leaves it as set)
                if (previous == null) {
                    chain = nbl;
                } else {
                    previous.setNext(nbl);
                }
                previous = nbl;
            }
            return NdisStatus.SUCCESS;
        }

        @Override
        public void returnNetBufferLists(Miniport ctx, NetBufferList nbls, int returnFlags) {
            returned++; // the RCBs stay chained, ready for the next indication
        }

        @Override
        public void haltEx(Miniport ctx, NdisHaltAction action) {
            NetBufferList nbl = chain;
            while (nbl != null) {
                NetBufferList next = nbl.next();
                nbl.setNext(null);
                Ndis.freeNetBufferList(nbl);
                nbl = next;
            }
            Ndis.freeNetBufferListPool(pool);
        }
    }

    /** Returns every indication at once, as a protocol that copies nothing would. */
    static final class ReturningUpper implements ProtocolEdge.Upper {
        ProtocolEdge edge;

        @Override
        public void receiveNetBufferLists(NetBufferList nbls, int port, int count, int flags) {
            edge.returnNetBufferLists(nbls, 0);
        }

        @Override
        public void sendNetBufferListsComplete(NetBufferList nbls, int flags) {}
    }

    @Setup(Level.Trial)
    public void boot() {
        kernel = Kernel.boot(KernelConfig.defaults().withName("rx-bench"));
        miniport = new Miniport(batch);
        PnpManager pnp = PnpManager.of(kernel);
        DriverObject driver = pnp.loadDriver("benchmp", (driverObject, registryPath) -> {
            NdisM.registerMiniportDriver(driverObject, registryPath, null, miniport);
            return NdisStatus.SUCCESS;
        });
        NdisMiniportAdapterHandle adapter = pnp.addDevice(driver, device("nic0"));
        ReturningUpper upper = new ReturningUpper();
        upper.edge = ProtocolEdge.bind(adapter, upper);
    }

    @TearDown(Level.Trial)
    public void shutdown() {
        kernel.close();
    }

    @Benchmark
    public long indicateAndReturn() {
        NdisM.indicateReceiveNetBufferLists(
                miniport.handle, miniport.chain, DataPathFlags.NDIS_DEFAULT_PORT_NUMBER, batch, 0);
        return miniport.returned;
    }

    private static DeviceResources device(String name) {
        return NullDevice.resources(name);
    }
}
