package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.FaultInjection;
import org.ndis4j.verifier.Rule;

/** NBL pools: recycling, FIFO reuse, who releases the frame memory, bad parameters, failed allocations. */
@ExtendWith(KernelExtension.class)
class NblPoolTest {

    private static NetBufferListPool pool(Kernel kernel, NetBufferListPoolParameters parameters) {
        return Ndis.allocateNetBufferListPool(Ndis.registerProtocolDriver(kernel, "proto"), parameters);
    }

    @Test
    void allocateAndFreeRecycleTheSameObjects(Kernel kernel) {
        NetBufferListPool pool = pool(kernel, NetBufferListPoolParameters.withNetBuffer(0, 256));
        NetBufferList first = Ndis.allocateNetBufferList(pool, 0, 0);
        ByteBuf frameMemory = first.firstNetBuffer().data();
        assertThat(first.firstNetBuffer().dataLength()).isEqualTo(256);
        Ndis.freeNetBufferList(first);
        for (int i = 0; i < 1000; i++) {
            NetBufferList nbl = Ndis.allocateNetBufferList(pool, 0, 0);
            assertThat(nbl).isSameAs(first);
            assertThat(nbl.firstNetBuffer().data()).isSameAs(frameMemory);
            Ndis.freeNetBufferList(nbl);
        }
        assertThat(pool.createdCount()).isEqualTo(1);
        assertThat(Ndis.getPoolFromNetBufferList(first)).isSameAs(pool);
        Ndis.freeNetBufferListPool(pool);
        assertThat(frameMemory.refCnt()).isZero();
    }

    @Test
    void aFreedNblGoesToTheBackOfTheFreeList(Kernel kernel) {
        NetBufferListPool pool = pool(kernel, NetBufferListPoolParameters.nblOnly(0));
        NetBufferList a = Ndis.allocateNetBufferList(pool, 0, 0);
        NetBufferList b = Ndis.allocateNetBufferList(pool, 0, 0);
        assertThat(a.firstNetBuffer()).isNull();
        Ndis.freeNetBufferList(a);
        Ndis.freeNetBufferList(b);
        NetBufferList again = Ndis.allocateNetBufferList(pool, 0, 0);
        assertThat(again).isSameAs(a);
        assertThat(b.isAllocated()).isFalse();
        Ndis.freeNetBufferList(again);
        Ndis.freeNetBufferListPool(pool);
    }

    @Test
    void callerDataIsReleasedWhenTheNblIsFreedAndFieldsStartFresh(Kernel kernel) {
        NetBufferListPool pool = pool(kernel, NetBufferListPoolParameters.withNetBuffer(0, 0));
        ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(100).writeZero(100);
        NetBufferList nbl = Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, data, 14, 60);
        assertThat(nbl.firstNetBuffer().data()).isSameAs(data);
        assertThat(nbl.firstNetBuffer().dataOffset()).isEqualTo(14);
        assertThat(nbl.firstNetBuffer().dataLength()).isEqualTo(60);
        nbl.setStatus(NdisStatus.FAILURE);
        nbl.setMiniportReserved("tcb");
        nbl.setCancelId(42);
        Ndis.freeNetBufferList(nbl);
        assertThat(data.refCnt()).isZero();

        NetBufferList next = Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, null, 0, 0);
        assertThat(next).isSameAs(nbl);
        assertThat(next.status()).isEqualTo(NdisStatus.SUCCESS);
        assertThat(next.miniportReserved()).isNull();
        assertThat(next.cancelId()).isZero();
        assertThat(next.firstNetBuffer().data()).isNull();
        Ndis.freeNetBufferList(next);
        Ndis.freeNetBufferListPool(pool);
    }

    @Test
    void unusablePoolParametersGiveNull(Kernel kernel) {
        NdisProtocolDriverHandle protocol = Ndis.registerProtocolDriver(kernel, "proto");
        assertThat(Ndis.allocateNetBufferListPool(protocol, null)).isNull();
        assertThat(Ndis.allocateNetBufferListPool(protocol, new NetBufferListPoolParameters(0, 0, false, 0, 1514)))
                .isNull(); // DataSize without NBs
    }

    @Test
    void dataOutsideTheMdlChainIsInvalid(Kernel kernel) {
        NetBufferListPool pool = pool(kernel, NetBufferListPoolParameters.withNetBuffer(0, 0));
        ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(64, 64);
        try {
            assertViolation(
                    kernel,
                    Rule.Nbl_InvalidParameter,
                    () -> Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, data, 10, 60));
        } finally {
            data.release();
        }
    }

    @Test
    void freeingAPoolTwiceIsUseAfterFree(Kernel kernel) {
        NetBufferListPool pool = pool(kernel, NetBufferListPoolParameters.nblOnly(0));
        Ndis.freeNetBufferListPool(pool);
        assertViolation(kernel, Rule.Nbl_UseAfterFree, () -> Ndis.freeNetBufferListPool(pool));
    }

    @Test
    void aFailedPoolAllocationReturnsNullOnceAndNoPoolIsLeft(Kernel kernel) {
        NdisProtocolDriverHandle protocol = Ndis.registerProtocolDriver(kernel, "proto");
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.NET_BUFFER_LIST_POOL, 1);

        assertThat(Ndis.allocateNetBufferListPool(protocol, NetBufferListPoolParameters.nblOnly(0)))
                .isNull();

        NetBufferListPool pool = Ndis.allocateNetBufferListPool(protocol, NetBufferListPoolParameters.nblOnly(0));
        assertThat(pool).isNotNull();
        Ndis.freeNetBufferListPool(pool);
    }

    @Test
    void aFailedNblAllocationReturnsNullAndTakesNothingFromThePool(Kernel kernel) {
        NetBufferListPool pool = pool(kernel, NetBufferListPoolParameters.withNetBuffer(0, 256));
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.NET_BUFFER_LIST, 2);

        assertThat(Ndis.allocateNetBufferList(pool, 0, 0)).isNull();
        assertThat(Ndis.allocateNetBufferList(pool, 0, 0)).isNull();
        assertThat(pool.allocatedCount()).isZero();
        assertThat(pool.createdCount()).isZero();

        NetBufferList third = Ndis.allocateNetBufferList(pool, 0, 0);
        assertThat(third).isNotNull();
        assertThat(pool.allocatedCount()).isEqualTo(1);
        Ndis.freeNetBufferList(third);
        Ndis.freeNetBufferListPool(pool);
    }

    @Test
    void aFailedNblAndNetBufferAllocationLeavesTheCallersDataWithTheCaller(Kernel kernel) {
        NetBufferListPool pool = pool(kernel, NetBufferListPoolParameters.withNetBuffer(0, 0));
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.NET_BUFFER_AND_NET_BUFFER_LIST, 1);
        ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeZero(64);

        assertThat(Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, data, 0, 64))
                .isNull();
        assertThat(data.refCnt()).isEqualTo(1);
        assertThat(pool.allocatedCount()).isZero();

        NetBufferList nbl = Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, data, 0, 64);
        assertThat(nbl.firstNetBuffer().data()).isSameAs(data);
        Ndis.freeNetBufferList(nbl);
        assertThat(data.refCnt()).isZero();
        Ndis.freeNetBufferListPool(pool);
    }

    @Test
    void eachKindFailsOnlyItsOwnAllocations(Kernel kernel) {
        NetBufferListPool pool = pool(kernel, NetBufferListPoolParameters.withNetBuffer(0, 0));
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.NET_BUFFER_AND_NET_BUFFER_LIST, 1);

        NetBufferList plain = Ndis.allocateNetBufferList(pool, 0, 0);

        assertThat(plain).isNotNull();
        assertThat(Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, null, 0, 0))
                .isNull();
        Ndis.freeNetBufferList(plain);
        Ndis.freeNetBufferListPool(pool);
    }

    @Test
    void aFailedAllocationFromAFreedPoolIsStillUseAfterFree(Kernel kernel) {
        NetBufferListPool pool = pool(kernel, NetBufferListPoolParameters.nblOnly(0));
        Ndis.freeNetBufferListPool(pool);
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.NET_BUFFER_LIST, 1);

        assertViolation(kernel, Rule.Nbl_UseAfterFree, () -> Ndis.allocateNetBufferList(pool, 0, 0));
    }
}
