package ${package};

import java.util.Arrays;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisRequestType;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.regs.Registers;

/**
 * The control path (netvmini's ctrlpath.c): MiniportOidRequest. NDIS answers most queries itself
 * (supported list, frame size, link state, addresses, current packet filter); what reaches the
 * driver is handled here.
 *
 * <pre>
 *  OID_GEN_CURRENT_PACKET_FILTER (set)   the receive control register; NOT_SUPPORTED for other bits
 *  OID_GEN_CURRENT_LOOKAHEAD (set)       accepted: whole frames are indicated
 *  OID_802_3_MULTICAST_LIST              the list (≤ 32 groups; MULTICAST_FULL, INVALID_DATA)
 *  OID_802_3_MAXIMUM_LIST_SIZE (query)   32
 *  a query NDIS did not answer, a method NOT_SUPPORTED for the OIDs in the supported list,
 *                                        INVALID_OID for the rest
 * </pre>
 */
final class ControlPath {

    private ControlPath() {}

    /** MiniportOidRequest. Runs at PASSIVE_LEVEL, one request at a time per adapter. Never pends. */
    static NdisStatus oidRequest(Adapter adapter, NdisOidRequest request) {
        if (request.requestType().isQuery()) {
            switch (request.oid()) {
                case Oid.OID_802_3_MULTICAST_LIST:
                    return request.writeInformation(adapter.multicastList);
                case Oid.OID_802_3_MAXIMUM_LIST_SIZE:
                    return request.writeUlong(Hardware.MULTICAST_LIST_SIZE);
                default:
                    break;
            }
        }
        if (request.requestType() == NdisRequestType.NdisRequestSetInformation) {
            switch (request.oid()) {
                case Oid.OID_GEN_CURRENT_PACKET_FILTER:
                    return setPacketFilter(adapter, request);
                case Oid.OID_GEN_CURRENT_LOOKAHEAD:
                    if (request.informationBufferLength() < 4) {
                        return request.tooShort(4);
                    }
                    request.setBytesRead(4);
                    return NdisStatus.SUCCESS;
                case Oid.OID_802_3_MULTICAST_LIST:
                    return setMulticastList(adapter, request);
                default:
                    break;
            }
        }
        return Adapter.SUPPORTED_OIDS.contains(request.oid()) ? NdisStatus.NOT_SUPPORTED : NdisStatus.INVALID_OID;
    }

    private static NdisStatus setPacketFilter(Adapter adapter, NdisOidRequest request) {
        if (request.informationBufferLength() < 4) {
            return request.tooShort(4);
        }
        int filter = request.readUlong(0);
        if ((filter & ~Hardware.SUPPORTED_PACKET_FILTERS) != 0) {
            return NdisStatus.NOT_SUPPORTED;
        }
        adapter.registers.write32(Registers.RCTL, Hardware.receiveControl(filter));
        request.setBytesRead(4);
        return NdisStatus.SUCCESS;
    }

    /** OID_802_3_MULTICAST_LIST (set): kept for queries; the receive filter takes every group (Hardware). */
    private static NdisStatus setMulticastList(Adapter adapter, NdisOidRequest request) {
        int length = request.informationBufferLength();
        if (length % 6 != 0) {
            return request.tooShort((length / 6 + 1) * 6);
        }
        if (length / 6 > Hardware.MULTICAST_LIST_SIZE) {
            return NdisStatus.MULTICAST_FULL;
        }
        byte[] list = Arrays.copyOf(request.informationBuffer(), length);
        for (int i = 0; i < length; i += 6) {
            if ((list[i] & 1) == 0) {
                return NdisStatus.INVALID_DATA; // a unicast address is no group
            }
        }
        adapter.multicastList = list;
        request.setBytesRead(length);
        return NdisStatus.SUCCESS;
    }
}
