package ${package};

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
 *  a query NDIS did not answer, a method NOT_SUPPORTED for the OIDs in the supported list,
 *                                        INVALID_OID for the rest
 * </pre>
 */
final class ControlPath {

    private ControlPath() {}

    /** MiniportOidRequest. Runs at PASSIVE_LEVEL, one request at a time per adapter. Never pends. */
    static NdisStatus oidRequest(Adapter adapter, NdisOidRequest request) {
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
}
