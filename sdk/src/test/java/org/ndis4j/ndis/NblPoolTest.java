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
import org.ndis4j.verifier.Rule;

/** NBL pools: recycling, FIFO reuse, who releases the frame memory, bad parameters. */
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
}
