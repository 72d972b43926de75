package org.ndis4j.ndis.internal;

import static org.ndis4j.ndis.oid.Oid.OID_802_3_CURRENT_ADDRESS;
import static org.ndis4j.ndis.oid.Oid.OID_802_3_MAXIMUM_LIST_SIZE;
import static org.ndis4j.ndis.oid.Oid.OID_802_3_PERMANENT_ADDRESS;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_CURRENT_LOOKAHEAD;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_CURRENT_PACKET_FILTER;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_LINK_STATE;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_MAC_OPTIONS;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_MAXIMUM_FRAME_SIZE;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_MAX_LINK_SPEED;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_MEDIA_CONNECT_STATUS;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_SUPPORTED_LIST;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.oid.NdisLinkSpeed;
import org.ndis4j.ndis.oid.NdisLinkStatePayload;
import org.ndis4j.ndis.oid.NdisMediaState;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisRequestType;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * The OIDs NDIS 6 answers for a miniport from what the miniport told it (general attributes, link
 * state indications, and the packet filter and lookahead it last accepted), and the invalid sets NDIS
 * refuses before the miniport sees them. Everything else goes to MiniportOidRequest. The table, with
 * the WDK page behind each row, is docs/oids.md.
 */
final class NdisOidAnswers {

    private NdisOidAnswers() {}

    /** What NDIS remembers about an adapter to answer with. */
    record Known(
            MiniportAdapterGeneralAttributes general,
            NdisLinkState linkState,
            int packetFilter,
            int currentLookahead) {}

    /**
     * The status when NDIS answers (or refuses) {@code request} itself, its buffer and BytesWritten /
     * BytesNeeded filled in; null when the request goes to the miniport.
     */
    static NdisStatus answer(Known known, NdisOidRequest request) {
        if (request.requestType().isQuery()) {
            byte[] data = queryData(known, request.oid());
            return data == null ? null : request.writeInformation(data);
        }
        if (request.requestType() == NdisRequestType.NdisRequestSetInformation
                && request.oid() == OID_GEN_CURRENT_LOOKAHEAD) {
            // "NDIS handles query and unsuccessful Set requests": only a valid lookahead reaches the miniport.
            if (request.informationBufferLength() < 4) {
                return request.tooShort(4);
            }
            int lookahead = request.readUlong(0);
            if (Integer.compareUnsigned(lookahead, known.general().lookaheadSize()) > 0) {
                return NdisStatus.INVALID_DATA;
            }
        }
        return null;
    }

    private static byte[] queryData(Known known, int oid) {
        MiniportAdapterGeneralAttributes g = known.general();
        return switch (oid) {
            case OID_GEN_SUPPORTED_LIST -> ulongs(g.supportedOidList());
            case OID_GEN_MAXIMUM_FRAME_SIZE -> ulong(g.mtuSize());
            case OID_GEN_LINK_STATE -> NdisLinkStatePayload.encode(known.linkState());
            case OID_GEN_MEDIA_CONNECT_STATUS ->
                ulong(
                        known.linkState().isConnected()
                                ? NdisMediaState.NdisMediaStateConnected
                                : NdisMediaState.NdisMediaStateDisconnected);
            case OID_GEN_MAX_LINK_SPEED -> new NdisLinkSpeed(g.maxLinkSpeed(), g.maxLinkSpeed()).encode();
            case OID_GEN_CURRENT_LOOKAHEAD -> ulong(known.currentLookahead());
            case OID_GEN_CURRENT_PACKET_FILTER -> ulong(known.packetFilter());
            case OID_GEN_MAC_OPTIONS -> ulong(g.macOptions());
            case OID_802_3_PERMANENT_ADDRESS -> g.permanentMacAddress();
            case OID_802_3_CURRENT_ADDRESS -> g.currentMacAddress();
            case OID_802_3_MAXIMUM_LIST_SIZE -> ulong(g.maxMulticastListSize());
            default -> null;
        };
    }

    private static byte[] ulong(int value) {
        return ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(value)
                .array();
    }

    private static byte[] ulongs(List<Integer> values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.size()).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach(b::putInt);
        return b.array();
    }
}
