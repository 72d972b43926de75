package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

/**
 * The handle types are opaque and only NDIS makes them: a handle a driver made itself (here an
 * anonymous subclass) is caught where NDIS resolves it, as a bad pointer would bug-check Windows.
 */
@ExtendWith(KernelExtension.class)
class ForeignHandleTest {

    /** A miniport adapter handle NDIS never made. */
    private static NdisMiniportAdapterHandle forged(Kernel kernel) {
        return new NdisMiniportAdapterHandle(kernel, "forged/nic0") {
            @Override
            public String driverName() {
                return "forged";
            }
        };
    }

    @Test
    void anAdapterHandleNdisDidNotMakeIsHandleInvalid(Kernel kernel) {
        NdisMiniportAdapterHandle forged = forged(kernel);
        var report = assertViolation(
                kernel,
                Rule.Handle_Invalid,
                () -> NdisM.indicateStatusEx(
                        forged, NdisStatusIndication.linkState(forged, NdisLinkState.disconnected())));
        assertThat(report.message())
                .contains("NdisMIndicateStatusEx", "forged/nic0", "not a miniport adapter handle NDIS made");
        assertThat(report.parameters().get(1)).isEqualTo(7L);
    }

    @Test
    void aGenericHandleArgumentOfAdapterKindMustBeAnAdapterNdisMade(Kernel kernel) {
        var report = assertViolation(kernel, Rule.Handle_Invalid, () -> Ndis.allocateIoWorkItem(forged(kernel)));
        assertThat(report.message()).contains("NdisAllocateIoWorkItem", "not a miniport adapter handle NDIS made");
    }

    @Test
    void anNblNdisDidNotAllocateIsAnInvalidParameter(Kernel kernel) {
        NetBufferList forged = new NetBufferList() {
            @Override
            public NetBufferListPool pool() {
                return null;
            }

            @Override
            public boolean isAllocated() {
                return true;
            }
        };
        CurrentThread.enter(kernel); // as a driver thread of this kernel
        var report = assertViolation(kernel, Rule.Nbl_InvalidParameter, () -> Ndis.freeNetBufferList(forged));
        assertThat(report.message()).contains("NdisFreeNetBufferList", "did not allocate");
    }
}
