package org.ndis4j.ndis;

import static org.ndis4j.ndis.oid.Oid.OID_802_3_MULTICAST_LIST;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_CURRENT_LOOKAHEAD;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_CURRENT_PACKET_FILTER;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_MAXIMUM_TOTAL_SIZE;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_STATISTICS;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.ThreadKind;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.oid.NdisMacOption;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * A miniport for OID tests: fixed general attributes, and a control path each test plugs in. It
 * records every request NDIS hands it, with the IRQL and kind of thread it arrived on.
 */
final class OidMiniport implements MiniportDriver<OidMiniport.Adapter> {

    static final byte[] PERMANENT_MAC = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    static final byte[] CURRENT_MAC = {0x02, 0x11, 0x22, 0x33, 0x44, 0x66};
    static final List<Integer> SUPPORTED_OIDS = List.of(
            OID_GEN_STATISTICS,
            OID_GEN_MAXIMUM_TOTAL_SIZE,
            OID_GEN_CURRENT_PACKET_FILTER,
            OID_GEN_CURRENT_LOOKAHEAD,
            OID_802_3_MULTICAST_LIST);
    static final int MAC_OPTIONS =
            NdisMacOption.NDIS_MAC_OPTION_NO_LOOPBACK | NdisMacOption.NDIS_MAC_OPTION_8021P_PRIORITY;
    static final long SPEED = 10_000_000_000L;

    /** The adapter context. */
    static final class Adapter {
        final NdisMiniportAdapterHandle handle;

        Adapter(NdisMiniportAdapterHandle handle) {
            this.handle = handle;
        }
    }

    /** A request as the miniport saw it arrive. */
    record Arrival(NdisOidRequest request, String irql, ThreadKind thread) {}

    final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    final List<Object> cancels = new CopyOnWriteArrayList<>();
    volatile BiFunction<Adapter, NdisOidRequest, NdisStatus> onOid = (a, r) -> NdisStatus.INVALID_OID;
    volatile BiConsumer<Adapter, Object> onCancel = (a, id) -> {};
    volatile Adapter last;

    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
        Adapter adapter = new Adapter(handle);
        last = adapter;
        NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(adapter));
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(SPEED)
                        .initialLinkState(NdisLinkState.connected(SPEED))
                        .lookaheadSize(256)
                        .permanentMacAddress(PERMANENT_MAC)
                        .currentMacAddress(CURRENT_MAC)
                        .supportedPacketFilters(NdisPacketType.ETHERNET_FILTERS)
                        .maxMulticastListSize(32)
                        .supportedOidList(SUPPORTED_OIDS)
                        .macOptions(MAC_OPTIONS)
                        .build());
        return NdisStatus.SUCCESS;
    }

    @Override
    public void haltEx(Adapter adapter, NdisHaltAction action) {}

    @Override
    public NdisStatus oidRequest(Adapter adapter, NdisOidRequest request) {
        arrivals.add(new Arrival(request, Ke.getCurrentIrql().name(), CurrentThread.kind()));
        return onOid.apply(adapter, request);
    }

    @Override
    public void cancelOidRequest(Adapter adapter, Object requestId) {
        cancels.add(requestId);
        onCancel.accept(adapter, requestId);
    }

    /** Loads the driver and adds one device: the adapter is Running. */
    NdisMiniportAdapterHandle start(Kernel kernel) {
        DriverObject driver = PnpManager.of(kernel).loadDriver("oidmp", (driverObject, registryPath) -> {
            NdisM.registerMiniportDriver(driverObject, registryPath, null, this);
            return NdisStatus.SUCCESS;
        });
        return PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("nic0"));
    }
}
