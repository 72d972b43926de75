package org.ndis4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
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
 * NdisAllocateNetBufferList + NdisFreeNetBufferList on a warm pool, with the verifier's ownership
 * tracking on. Expect {@code gc.alloc.rate.norm} ≈ 0 B/op: the pool recycles NBL, NET_BUFFER and
 * its frame memory.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar NblPool -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NblPoolBenchmark {

    private Kernel kernel;
    private NetBufferListPool withData;
    private NetBufferListPool nblOnly;

    @Setup(Level.Trial)
    public void boot() {
        kernel = Kernel.boot(KernelConfig.defaults().withName("nbl-bench"));
        NdisProtocolDriverHandle protocol = Ndis.registerProtocolDriver(kernel, "bench");
        withData = Ndis.allocateNetBufferListPool(protocol, NetBufferListPoolParameters.withNetBuffer(0, 1514));
        nblOnly = Ndis.allocateNetBufferListPool(protocol, NetBufferListPoolParameters.nblOnly(0));
    }

    @TearDown(Level.Trial)
    public void shutdown() {
        Ndis.freeNetBufferListPool(withData);
        Ndis.freeNetBufferListPool(nblOnly);
        kernel.close();
    }

    /** One NBL with a NET_BUFFER and 1514 bytes of pooled frame memory. */
    @Benchmark
    public NetBufferList allocateFreeWithNetBuffer() {
        NetBufferList nbl = Ndis.allocateNetBufferList(withData, 0, 0);
        Ndis.freeNetBufferList(nbl);
        return nbl;
    }

    /** One bare NBL. */
    @Benchmark
    public NetBufferList allocateFreeNblOnly() {
        NetBufferList nbl = Ndis.allocateNetBufferList(nblOnly, 0, 0);
        Ndis.freeNetBufferList(nbl);
        return nbl;
    }
}
