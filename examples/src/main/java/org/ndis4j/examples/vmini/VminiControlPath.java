package org.ndis4j.examples.vmini;

import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_BROADCAST_BYTES_XMIT;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_BROADCAST_FRAMES_RCV;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_BROADCAST_FRAMES_XMIT;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_BYTES_RCV;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_BYTES_XMIT;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_DIRECTED_BYTES_XMIT;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_DIRECTED_FRAMES_RCV;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_DIRECTED_FRAMES_XMIT;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_MULTICAST_BYTES_XMIT;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_MULTICAST_FRAMES_RCV;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_MULTICAST_FRAMES_XMIT;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_RCV_DISCARDS;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_RCV_ERROR;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_XMIT_DISCARDS;
import static org.ndis4j.ndis.oid.NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_XMIT_ERROR;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisRequestType;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * The control path (netvmini's ctrlpath.c): MiniportOidRequest. NDIS answers the queries it keeps
 * itself (supported list, frame size, link state, addresses, current packet filter, …; see
 * docs/oids.md); every other request arrives here, one at a time, at PASSIVE_LEVEL.
 *
 * <pre>
 *  OID                               query                          set
 *  OID_GEN_CURRENT_PACKET_FILTER     (NDIS)                         RCTL; NOT_SUPPORTED for other bits
 *  OID_802_3_MULTICAST_LIST          the list                       the device's exact table (≤ 32),
 *                                                                   MULTICAST_FULL / INVALID_LENGTH / INVALID_DATA
 *  OID_GEN_CURRENT_LOOKAHEAD         (NDIS)                         accepted: whole frames are indicated
 *  OID_GEN_MAXIMUM_TOTAL_SIZE        1514
 *  OID_GEN_STATISTICS                NDIS_STATISTICS_INFO from the device counters and the driver's
 *  OID_GEN_XMIT_OK / OID_GEN_RCV_OK  ULONG64 (ULONG if the buffer is shorter)
 *  OID_GEN_VENDOR_*                  id, description, driver version
 *  OID_GEN_INTERRUPT_MODERATION, OID_GEN_LINK_PARAMETERS, any method: NOT_SUPPORTED
 *  anything else: INVALID_OID
 * </pre>
 */
final class VminiControlPath {

    /** OID_GEN_SUPPORTED_LIST: what NDIS answers for vmini plus what vmini answers itself. */
    static final List<Integer> SUPPORTED_OIDS = List.of(
            Oid.OID_GEN_SUPPORTED_LIST,
            Oid.OID_GEN_MAXIMUM_FRAME_SIZE,
            Oid.OID_GEN_LINK_STATE,
            Oid.OID_GEN_MEDIA_CONNECT_STATUS,
            Oid.OID_GEN_MAX_LINK_SPEED,
            Oid.OID_GEN_MAC_OPTIONS,
            Oid.OID_GEN_CURRENT_LOOKAHEAD,
            Oid.OID_GEN_CURRENT_PACKET_FILTER,
            Oid.OID_GEN_MAXIMUM_TOTAL_SIZE,
            Oid.OID_GEN_STATISTICS,
            Oid.OID_GEN_XMIT_OK,
            Oid.OID_GEN_RCV_OK,
            Oid.OID_GEN_VENDOR_ID,
            Oid.OID_GEN_VENDOR_DESCRIPTION,
            Oid.OID_GEN_VENDOR_DRIVER_VERSION,
            Oid.OID_802_3_PERMANENT_ADDRESS,
            Oid.OID_802_3_CURRENT_ADDRESS,
            Oid.OID_802_3_MULTICAST_LIST,
            Oid.OID_802_3_MAXIMUM_LIST_SIZE);

    /** OIDs vmini knows and does not do: NOT_SUPPORTED rather than INVALID_OID. */
    private static final List<Integer> NOT_DONE =
            List.of(Oid.OID_GEN_INTERRUPT_MODERATION, Oid.OID_GEN_LINK_PARAMETERS);

    /** OID_GEN_VENDOR_DESCRIPTION: NUL-terminated ASCII. */
    private static final byte[] VENDOR_DESCRIPTION = "ndis4j vmini virtual NIC\0".getBytes(StandardCharsets.US_ASCII);
    /** OID_GEN_VENDOR_DRIVER_VERSION: major in the high word, minor in the low. */
    private static final int DRIVER_VERSION = 1 << 16;

    private static final int MAC_LENGTH = 6;

    private VminiControlPath() {}

    /**
     * MiniportOidRequest. Runs at PASSIVE_LEVEL, one request at a time per adapter. Answers
     * synchronously (no request pends: every answer is a register access away).
     */
    static NdisStatus oidRequest(VminiAdapter adapter, NdisOidRequest request) {
        if (adapter.removed) {
            return NdisStatus.NOT_ACCEPTED; // surprise-removed: every request until halt (the WDK's rule)
        }
        NdisRequestType type = request.requestType();
        if (type == NdisRequestType.NdisRequestMethod) {
            return NdisStatus.NOT_SUPPORTED;
        }
        return type.isQuery() ? query(adapter, request) : set(adapter, request);
    }

    private static NdisStatus query(VminiAdapter adapter, NdisOidRequest request) {
        return switch (request.oid()) {
            case Oid.OID_GEN_MAXIMUM_TOTAL_SIZE -> request.writeUlong(adapter.config.jumboPacket());
            case Oid.OID_GEN_STATISTICS ->
                request.writeInformation(statistics(adapter).encode());
            case Oid.OID_GEN_XMIT_OK -> writeCounter(request, adapter.statistics.get(StatisticsCounter.TX_FRAMES));
            case Oid.OID_GEN_RCV_OK -> writeCounter(request, adapter.statistics.get(StatisticsCounter.RX_FRAMES));
            case Oid.OID_802_3_MULTICAST_LIST -> request.writeInformation(adapter.multicastList);
            // OID_GEN_VENDOR_ID: the OUI of the station address in the low three bytes
            case Oid.OID_GEN_VENDOR_ID ->
                request.writeUlong((adapter.permanentAddress[0] & 0xFF)
                        | (adapter.permanentAddress[1] & 0xFF) << 8
                        | (adapter.permanentAddress[2] & 0xFF) << 16);
            case Oid.OID_GEN_VENDOR_DESCRIPTION -> request.writeInformation(VENDOR_DESCRIPTION);
            case Oid.OID_GEN_VENDOR_DRIVER_VERSION -> request.writeUlong(DRIVER_VERSION);
            default -> unhandled(request.oid());
        };
    }

    private static NdisStatus set(VminiAdapter adapter, NdisOidRequest request) {
        return switch (request.oid()) {
            case Oid.OID_GEN_CURRENT_PACKET_FILTER -> setPacketFilter(adapter, request);
            case Oid.OID_802_3_MULTICAST_LIST -> setMulticastList(adapter, request);
            case Oid.OID_GEN_CURRENT_LOOKAHEAD -> {
                if (request.informationBufferLength() < 4) {
                    yield request.tooShort(4);
                }
                request.setBytesRead(4); // NDIS refused values above the maximum; vmini indicates whole frames
                yield NdisStatus.SUCCESS;
            }
            default -> unhandled(request.oid());
        };
    }

    /** OID_GEN_CURRENT_PACKET_FILTER (set): NDIS_PACKET_TYPE_* to the receive control register. */
    private static NdisStatus setPacketFilter(VminiAdapter adapter, NdisOidRequest request) {
        if (request.informationBufferLength() < 4) {
            return request.tooShort(4);
        }
        int filter = request.readUlong(0);
        if ((filter & ~VminiHardware.SUPPORTED_PACKET_FILTERS) != 0) {
            return NdisStatus.NOT_SUPPORTED;
        }
        adapter.registers.write32(Registers.RCTL, VminiHardware.receiveControl(filter));
        adapter.packetFilter = filter;
        request.setBytesRead(4);
        return NdisStatus.SUCCESS;
    }

    /** OID_802_3_MULTICAST_LIST (set): the whole list replaces the device's exact-match table. */
    private static NdisStatus setMulticastList(VminiAdapter adapter, NdisOidRequest request) {
        int length = request.informationBufferLength();
        if (length % MAC_LENGTH != 0) {
            return request.tooShort((length / MAC_LENGTH + 1) * MAC_LENGTH);
        }
        int count = length / MAC_LENGTH;
        if (count > VminiHardware.MULTICAST_LIST_SIZE) {
            return NdisStatus.MULTICAST_FULL;
        }
        byte[] list = Arrays.copyOf(request.informationBuffer(), length);
        for (int i = 0; i < count; i++) {
            if ((list[MAC_LENGTH * i] & 1) == 0) {
                return NdisStatus.INVALID_DATA; // a unicast address is no multicast group
            }
        }
        VminiHardware.writeMulticastTable(adapter.registers, list, count);
        adapter.multicastList = list;
        request.setBytesRead(length);
        return NdisStatus.SUCCESS;
    }

    /**
     * OID_GEN_STATISTICS: device counters for what the device counts (monotonic across resets:
     * {@link VminiStatistics}), the driver's for the rest. ifInDiscards: frames dropped without an
     * error — by the NIC (no buffer posted, receive unit off) or by the driver after the NIC received
     * them (reaped while paused, taken out of the ring by a reset). ifOutDiscards: frames the driver
     * accepted or refused and did not send (VminiSendPath).
     */
    static NdisStatisticsInfo statistics(VminiAdapter adapter) {
        long[] c = adapter.statistics.read();
        long rxFrames = c[StatisticsCounter.RX_FRAMES.ordinal()];
        long rxBroadcast = c[StatisticsCounter.RX_BROADCAST.ordinal()];
        long rxMulticast = c[StatisticsCounter.RX_MULTICAST.ordinal()];
        long rxDiscards = c[StatisticsCounter.RX_NO_BUFFER.ordinal()]
                + c[StatisticsCounter.RX_DISABLED.ordinal()]
                + adapter.dataPath.receiveDiscards();
        long rxErrors = c[StatisticsCounter.RX_LENGTH_ERRORS.ordinal()]
                + c[StatisticsCounter.RX_BUFFER_TOO_SMALL.ordinal()]
                + c[StatisticsCounter.RX_DMA_ERRORS.ordinal()];
        long txErrors = c[StatisticsCounter.TX_LENGTH_ERRORS.ordinal()]
                + c[StatisticsCounter.TX_DMA_ERRORS.ordinal()]
                + c[StatisticsCounter.TX_NO_CARRIER.ordinal()]
                + c[StatisticsCounter.TX_FAULT_ERRORS.ordinal()];
        VminiSendPath.TransmitCounters tx = adapter.dataPath.transmitCounters();
        int valid = NDIS_STATISTICS_FLAGS_VALID_DIRECTED_FRAMES_RCV
                | NDIS_STATISTICS_FLAGS_VALID_MULTICAST_FRAMES_RCV
                | NDIS_STATISTICS_FLAGS_VALID_BROADCAST_FRAMES_RCV
                | NDIS_STATISTICS_FLAGS_VALID_BYTES_RCV
                | NDIS_STATISTICS_FLAGS_VALID_RCV_DISCARDS
                | NDIS_STATISTICS_FLAGS_VALID_RCV_ERROR
                | NDIS_STATISTICS_FLAGS_VALID_DIRECTED_FRAMES_XMIT
                | NDIS_STATISTICS_FLAGS_VALID_MULTICAST_FRAMES_XMIT
                | NDIS_STATISTICS_FLAGS_VALID_BROADCAST_FRAMES_XMIT
                | NDIS_STATISTICS_FLAGS_VALID_BYTES_XMIT
                | NDIS_STATISTICS_FLAGS_VALID_XMIT_ERROR
                | NDIS_STATISTICS_FLAGS_VALID_XMIT_DISCARDS
                | NDIS_STATISTICS_FLAGS_VALID_DIRECTED_BYTES_XMIT
                | NDIS_STATISTICS_FLAGS_VALID_MULTICAST_BYTES_XMIT
                | NDIS_STATISTICS_FLAGS_VALID_BROADCAST_BYTES_XMIT;
        return NdisStatisticsInfo.builder()
                .supportedStatistics(valid)
                .ifInDiscards(rxDiscards)
                .ifInErrors(rxErrors)
                .ifHCInOctets(c[StatisticsCounter.RX_BYTES.ordinal()])
                .ifHCInUcastPkts(rxFrames - rxBroadcast - rxMulticast)
                .ifHCInMulticastPkts(rxMulticast)
                .ifHCInBroadcastPkts(rxBroadcast)
                .ifHCOutOctets(c[StatisticsCounter.TX_BYTES.ordinal()])
                .ifHCOutUcastPkts(tx.directedFrames())
                .ifHCOutMulticastPkts(tx.multicastFrames())
                .ifHCOutBroadcastPkts(tx.broadcastFrames())
                .ifOutErrors(txErrors)
                .ifOutDiscards(tx.discards())
                .ifHCOutUcastOctets(tx.directedOctets())
                .ifHCOutMulticastOctets(tx.multicastOctets())
                .ifHCOutBroadcastOctets(tx.broadcastOctets())
                .build();
    }

    /** OID_GEN_XMIT_OK and friends: a ULONG64, or a ULONG when the buffer holds less than 8 bytes. */
    private static NdisStatus writeCounter(NdisOidRequest request, long value) {
        return request.informationBufferLength() >= 8 ? request.writeUlong64(value) : request.writeUlong((int) value);
    }

    /** An OID vmini does not answer: NOT_SUPPORTED if it knows it, INVALID_OID otherwise. */
    private static NdisStatus unhandled(int oid) {
        return NOT_DONE.contains(oid) || SUPPORTED_OIDS.contains(oid)
                ? NdisStatus.NOT_SUPPORTED
                : NdisStatus.INVALID_OID;
    }
}
