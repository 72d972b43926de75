package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_LINK_STATE;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_STATISTICS;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.filter.FilterAttachParameters;
import org.ndis4j.ndis.filter.FilterDriver;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;

/** OID requests from a protocol binding, through filters, to the miniport and back. */
@ExtendWith(KernelExtension.class)
class StackOidTest {

    /** A protocol that records the completions of its OID requests. */
    static final class OidProtocol implements ProtocolDriver<OidProtocol> {
        final List<String> completions = new CopyOnWriteArrayList<>();
        volatile NdisProtocolDriverHandle handle;
        volatile NdisBindingHandle binding;

        @Override
        public NdisStatus bindAdapterEx(Object c, NdisBindContext bindContext, NdisBindParameters p) {
            binding = Ndis.openAdapterEx(handle, this, bindContext);
            return NdisStatus.SUCCESS;
        }

        @Override
        public NdisStatus unbindAdapterEx(NdisBindContext u, OidProtocol self) {
            return Ndis.closeAdapterEx(binding);
        }

        @Override
        public void oidRequestComplete(OidProtocol self, NdisOidRequest request, NdisStatus status) {
            completions.add(Integer.toHexString(request.oid()) + " " + status + " " + request.bytesWritten());
        }
    }

    /** A filter that counts the requests and completions passing it. */
    static final class CountingFilter implements FilterDriver<NdisFilterModuleHandle> {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public NdisStatus attach(NdisFilterModuleHandle handle, Object c, FilterAttachParameters p) {
            NdisF.setAttributes(handle, handle);
            return NdisStatus.SUCCESS;
        }

        @Override
        public void detach(NdisFilterModuleHandle module) {}

        @Override
        public NdisStatus oidRequest(NdisFilterModuleHandle module, NdisOidRequest request) {
            seen.add("down " + Integer.toHexString(request.oid()));
            return NdisF.oidRequest(module, request);
        }

        @Override
        public void oidRequestComplete(NdisFilterModuleHandle module, NdisOidRequest request, NdisStatus status) {
            seen.add("up " + status);
            NdisF.oidRequestComplete(module, request, status);
        }
    }

    /** A filter that only passes status: NDIS bypasses it for OIDs. */
    static final class BypassedFilter implements FilterDriver<Object> {
        @Override
        public NdisStatus attach(NdisFilterModuleHandle handle, Object c, FilterAttachParameters p) {
            NdisF.setAttributes(handle, "bypassed");
            return NdisStatus.SUCCESS;
        }

        @Override
        public void detach(Object module) {}
    }

    private static OidProtocol protocol(Kernel kernel) {
        OidProtocol protocol = new OidProtocol();
        PnpManager.of(kernel).loadDriver("oidproto", (d, r) -> {
            protocol.handle = Ndis.registerProtocolDriver(kernel, null, "oidproto", protocol);
            return NdisStatus.SUCCESS;
        });
        return protocol;
    }

    @Test
    void aPendingOidCompletesFromAWorkItemThroughTheFilterToTheProtocol(Kernel kernel) {
        CountingFilter counting = new CountingFilter();
        PnpManager.of(kernel).loadDriver("bypassed", (d, r) -> {
            NdisF.registerFilterDriver(d, null, new BypassedFilter());
            return NdisStatus.SUCCESS;
        });
        PnpManager.of(kernel).loadDriver("counting", (d, r) -> {
            NdisF.registerFilterDriver(d, null, counting);
            return NdisStatus.SUCCESS;
        });
        OidProtocol protocol = protocol(kernel);
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (adapter, request) -> {
            // Statistics take a while: complete from an I/O work item at PASSIVE_LEVEL.
            NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter.handle);
            Ndis.queueIoWorkItem(
                    item,
                    (NdisOidRequest r, NdisIoWorkItem self) -> {
                        Ndis.freeIoWorkItem(self);
                        r.writeInformation(new byte[152]);
                        NdisM.oidRequestComplete(adapter.handle, r, NdisStatus.SUCCESS);
                    },
                    request);
            return NdisStatus.PENDING;
        };
        miniport.start(kernel);
        waitUntil(() -> protocol.binding != null);

        NdisOidRequest statistics = NdisOidRequest.query(OID_GEN_STATISTICS, 152);
        assertThat(Ndis.oidRequest(protocol.binding, statistics)).isEqualTo(NdisStatus.PENDING);
        waitUntil(() -> protocol.completions.size() == 1);
        assertThat(protocol.completions).containsExactly("20106 SUCCESS 152");
        assertThat(counting.seen).containsExactly("down 20106", "up SUCCESS");
        assertThat(miniport.arrivals).hasSize(1);
    }

    @Test
    void anOidNdisAnswersReturnsSynchronouslyWithNoCompletion(Kernel kernel) {
        CountingFilter counting = new CountingFilter();
        PnpManager.of(kernel).loadDriver("counting", (d, r) -> {
            NdisF.registerFilterDriver(d, null, counting);
            return NdisStatus.SUCCESS;
        });
        OidProtocol protocol = protocol(kernel);
        OidMiniport miniport = new OidMiniport();
        miniport.start(kernel);
        waitUntil(() -> protocol.binding != null);

        NdisOidRequest linkState = NdisOidRequest.query(OID_GEN_LINK_STATE, 64);
        assertThat(Ndis.oidRequest(protocol.binding, linkState)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(linkState.bytesWritten()).isPositive();
        assertThat(counting.seen).containsExactly("down 10207");
        assertThat(protocol.completions).isEmpty();
        assertThat(miniport.arrivals).isEmpty(); // NDIS answered it from the attributes
        // The same request object may be issued again once it has completed.
        assertThat(Ndis.oidRequest(protocol.binding, linkState)).isEqualTo(NdisStatus.SUCCESS);
    }
}
