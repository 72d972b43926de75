package org.ndis4j.examples.vmini;

import static org.ndis4j.ndis.oid.Oid.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.ndis4j.ndis.oid.NdisLinkSpeed;
import org.ndis4j.ndis.oid.NdisLinkStatePayload;
import org.ndis4j.ndis.oid.NdisMacOption;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.oid.NdisRequestType;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * What an OID request to vmini must get, written the obvious way from docs/oids.md (who answers
 * which OID, the information-buffer rules) and vmini's control-path table: the final status, whether
 * NDIS answers it at once (no PENDING), BytesWritten / BytesRead / BytesNeeded, and the answer's
 * bytes where they are predictable. It follows the state the requests change (packet filter,
 * lookahead, multicast list) as NDIS and vmini should.
 */
final class VminiOidModel {

    /** The expected outcome of one request; {@code answer} is null where the bytes are not predictable. */
    record Outcome(
            NdisStatus status,
            boolean answeredByNdis,
            int bytesWritten,
            int bytesRead,
            int bytesNeeded,
            byte[] answer) {}

    static final int START_PACKET_FILTER = NdisPacketType.NDIS_PACKET_TYPE_DIRECTED;
    static final int LOOKAHEAD_SIZE = VminiHardware.MTU;
    private static final int MAC_LENGTH = 6;
    private static final byte[] VENDOR_DESCRIPTION = "ndis4j vmini virtual NIC\0".getBytes(StandardCharsets.US_ASCII);
    /** OIDs vmini knows and does not do. */
    private static final List<Integer> NOT_DONE = List.of(OID_GEN_INTERRUPT_MODERATION, OID_GEN_LINK_PARAMETERS);

    private final byte[] mac;
    private int packetFilter = START_PACKET_FILTER;
    private int lookahead = LOOKAHEAD_SIZE;
    private byte[] multicastList = new byte[0];

    VminiOidModel(byte[] mac) {
        this.mac = mac.clone();
    }

    /** A copy of the model in its present state. */
    VminiOidModel copy() {
        VminiOidModel copy = new VminiOidModel(mac);
        copy.packetFilter = packetFilter;
        copy.lookahead = lookahead;
        copy.multicastList = multicastList;
        return copy;
    }

    int packetFilter() {
        return packetFilter;
    }

    int lookahead() {
        return lookahead;
    }

    byte[] multicastList() {
        return multicastList.clone();
    }

    /** What {@code request} must get while the link is {@code link}. */
    Outcome expect(NdisOidRequest request, NdisLinkState link) {
        if (request.requestType() == NdisRequestType.NdisRequestMethod) {
            return failure(NdisStatus.NOT_SUPPORTED, false); // vmini does no method
        }
        return request.requestType().isQuery() ? query(request, link) : set(request);
    }

    /** Follows a request that completed with {@code status}. */
    void completed(NdisOidRequest request, NdisStatus status) {
        if (status != NdisStatus.SUCCESS || request.requestType() != NdisRequestType.NdisRequestSetInformation) {
            return;
        }
        switch (request.oid()) {
            case OID_GEN_CURRENT_PACKET_FILTER -> packetFilter = request.readUlong(0);
            case OID_GEN_CURRENT_LOOKAHEAD -> lookahead = request.readUlong(0);
            case OID_802_3_MULTICAST_LIST -> multicastList = request.readInformation();
            default -> {}
        }
    }

    private Outcome query(NdisOidRequest request, NdisLinkState link) {
        byte[] ndis = ndisAnswer(request.oid(), link);
        if (ndis != null) {
            return answer(request, ndis, ndis.length, true);
        }
        int length = request.informationBufferLength();
        return switch (request.oid()) {
            case OID_GEN_MAXIMUM_TOTAL_SIZE -> answer(request, ulong(VminiHardware.MAX_TOTAL_SIZE), 4, false);
            case OID_GEN_STATISTICS -> answer(request, null, NdisStatisticsInfo.SIZE, false);
            // a ULONG64, or a ULONG when the buffer holds less than 8 bytes
            case OID_GEN_XMIT_OK, OID_GEN_RCV_OK -> answer(request, null, length >= 8 ? 8 : 4, false);
            case OID_802_3_MULTICAST_LIST -> answer(request, multicastList, multicastList.length, false);
            case OID_GEN_VENDOR_ID ->
                answer(request, ulong((mac[0] & 0xFF) | (mac[1] & 0xFF) << 8 | (mac[2] & 0xFF) << 16), 4, false);
            case OID_GEN_VENDOR_DESCRIPTION -> answer(request, VENDOR_DESCRIPTION, VENDOR_DESCRIPTION.length, false);
            case OID_GEN_VENDOR_DRIVER_VERSION -> answer(request, ulong(1 << 16), 4, false);
            default -> unhandled(request.oid());
        };
    }

    /** The OIDs NDIS answers itself (docs/oids.md, "Who answers which OID"), or null. */
    private byte[] ndisAnswer(int oid, NdisLinkState link) {
        return switch (oid) {
            case OID_GEN_SUPPORTED_LIST -> {
                ByteBuffer b = ByteBuffer.allocate(4 * VminiControlPath.SUPPORTED_OIDS.size())
                        .order(ByteOrder.LITTLE_ENDIAN);
                VminiControlPath.SUPPORTED_OIDS.forEach(b::putInt);
                yield b.array();
            }
            case OID_GEN_MAXIMUM_FRAME_SIZE -> ulong(VminiHardware.MTU);
            case OID_GEN_LINK_STATE -> NdisLinkStatePayload.encode(link);
            case OID_GEN_MEDIA_CONNECT_STATUS -> ulong(link.isConnected() ? 0 : 1);
            case OID_GEN_MAX_LINK_SPEED ->
                new NdisLinkSpeed(VminiHardware.MAX_LINK_SPEED, VminiHardware.MAX_LINK_SPEED).encode();
            case OID_GEN_MAC_OPTIONS -> ulong(NdisMacOption.DEFAULT | NdisMacOption.NDIS_MAC_OPTION_FULL_DUPLEX);
            case OID_GEN_CURRENT_LOOKAHEAD -> ulong(lookahead);
            case OID_GEN_CURRENT_PACKET_FILTER -> ulong(packetFilter);
            case OID_802_3_PERMANENT_ADDRESS, OID_802_3_CURRENT_ADDRESS -> mac.clone();
            case OID_802_3_MAXIMUM_LIST_SIZE -> ulong(VminiHardware.MULTICAST_LIST_SIZE);
            default -> null;
        };
    }

    private Outcome set(NdisOidRequest request) {
        int length = request.informationBufferLength();
        switch (request.oid()) {
            case OID_GEN_CURRENT_LOOKAHEAD -> {
                // "NDIS handles query and unsuccessful Set requests"
                if (length < 4) {
                    return tooShort(4, true);
                }
                if (Integer.compareUnsigned(request.readUlong(0), LOOKAHEAD_SIZE) > 0) {
                    return failure(NdisStatus.INVALID_DATA, true);
                }
                return read(4);
            }
            case OID_GEN_CURRENT_PACKET_FILTER -> {
                if (length < 4) {
                    return tooShort(4, false);
                }
                if ((request.readUlong(0) & ~VminiHardware.SUPPORTED_PACKET_FILTERS) != 0) {
                    return failure(NdisStatus.NOT_SUPPORTED, false);
                }
                return read(4);
            }
            case OID_802_3_MULTICAST_LIST -> {
                if (length % MAC_LENGTH != 0) {
                    return tooShort((length / MAC_LENGTH + 1) * MAC_LENGTH, false);
                }
                if (length / MAC_LENGTH > VminiHardware.MULTICAST_LIST_SIZE) {
                    return failure(NdisStatus.MULTICAST_FULL, false);
                }
                byte[] list = request.readInformation();
                for (int i = 0; i < list.length; i += MAC_LENGTH) {
                    if ((list[i] & 1) == 0) {
                        return failure(NdisStatus.INVALID_DATA, false); // a unicast address
                    }
                }
                return read(length);
            }
            default -> {
                return unhandled(request.oid());
            }
        }
    }

    /** Query rule: the answer fits (SUCCESS, BytesWritten) or BUFFER_TOO_SHORT with BytesNeeded, nothing written. */
    private static Outcome answer(NdisOidRequest request, byte[] bytes, int length, boolean byNdis) {
        if (request.informationBufferLength() < length) {
            return new Outcome(NdisStatus.BUFFER_TOO_SHORT, byNdis, 0, 0, length, null);
        }
        return new Outcome(
                NdisStatus.SUCCESS, byNdis, length, 0, 0, bytes == null ? null : Arrays.copyOf(bytes, length));
    }

    private static Outcome read(int bytesRead) {
        return new Outcome(NdisStatus.SUCCESS, false, 0, bytesRead, 0, null);
    }

    private static Outcome tooShort(int needed, boolean byNdis) {
        return new Outcome(NdisStatus.INVALID_LENGTH, byNdis, 0, 0, needed, null);
    }

    private static Outcome failure(NdisStatus status, boolean byNdis) {
        return new Outcome(status, byNdis, 0, 0, 0, null);
    }

    /** vmini: NOT_SUPPORTED for an OID it knows, INVALID_OID for any other. */
    private static Outcome unhandled(int oid) {
        boolean known = VminiControlPath.SUPPORTED_OIDS.contains(oid) || NOT_DONE.contains(oid);
        return failure(known ? NdisStatus.NOT_SUPPORTED : NdisStatus.INVALID_OID, false);
    }

    private static byte[] ulong(int value) {
        return ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(value)
                .array();
    }
}
