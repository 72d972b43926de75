package org.ndis4j.ndis.oid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.ndis4j.ndis.types.MediaConnectState;
import org.ndis4j.ndis.types.MediaDuplexState;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;

/** Byte layouts of the payloads and the request's buffer helpers. */
class OidPayloadTest {

    @Test
    void statisticsInfoIs152BytesWithEachCounterAtItsOffset() {
        NdisStatisticsInfo info =
                new NdisStatisticsInfo(0x003F87FF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        byte[] b = info.encode();
        assertThat(b).hasSize(152);
        assertThat(b[0] & 0xFF).isEqualTo(0x80); // NDIS_OBJECT_TYPE_DEFAULT
        assertThat(b[1]).isEqualTo((byte) 1); // revision 1
        assertThat(LittleEndian.getShort(b, 2)).isEqualTo(152);
        assertThat(LittleEndian.getInt(b, 4)).isEqualTo(0x003F87FF);
        assertThat(LittleEndian.getLong(b, 0x08)).isEqualTo(1); // ifInDiscards
        assertThat(LittleEndian.getLong(b, 0x58)).isEqualTo(11); // ifOutErrors
        assertThat(LittleEndian.getLong(b, 0x90)).isEqualTo(18); // ifHCOutBroadcastOctets
        assertThat(NdisStatisticsInfo.decode(b)).isEqualTo(info);
    }

    @Test
    void statisticsInfoRefusesAShortOrOlderBuffer() {
        byte[] b = new NdisStatisticsInfo(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).encode();
        assertThatThrownBy(() -> NdisStatisticsInfo.decode(java.util.Arrays.copyOf(b, 100)))
                .isInstanceOf(IllegalArgumentException.class);
        b[1] = 0; // revision 0
        assertThatThrownBy(() -> NdisStatisticsInfo.decode(b)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void linkStateRoundTripsWithUnknownSpeedsAsAllOnes() {
        NdisLinkState down = NdisLinkState.disconnected();
        byte[] b = NdisLinkStatePayload.encode(down);
        assertThat(b).hasSize(40);
        assertThat(LittleEndian.getInt(b, 4)).isEqualTo(2); // MediaConnectStateDisconnected
        assertThat(LittleEndian.getLong(b, 0x10)).isEqualTo(-1L); // NDIS_LINK_SPEED_UNKNOWN
        assertThat(NdisLinkStatePayload.decode(b)).isEqualTo(down);
        NdisLinkState half = new NdisLinkState(
                MediaConnectState.MediaConnectStateConnected,
                MediaDuplexState.MediaDuplexStateHalf,
                100_000_000L,
                10_000_000L);
        assertThat(NdisLinkStatePayload.decode(NdisLinkStatePayload.encode(half)))
                .isEqualTo(half);
    }

    @Test
    void oidValuesAreTheNtddndisOnes() {
        assertThat(Oid.OID_GEN_SUPPORTED_LIST).isEqualTo(0x00010101);
        assertThat(Oid.OID_GEN_CURRENT_PACKET_FILTER).isEqualTo(0x0001010E);
        assertThat(Oid.OID_GEN_LINK_STATE).isEqualTo(0x00010207);
        assertThat(Oid.OID_GEN_STATISTICS).isEqualTo(0x00020106);
        assertThat(Oid.OID_802_3_MULTICAST_LIST).isEqualTo(0x01010103);
        assertThat(Oid.name(0x00010207)).isEqualTo("OID_GEN_LINK_STATE");
        assertThat(Oid.name(0xFF000001)).isEqualTo("OID 0xFF000001");
    }

    @Test
    void writeInformationCopiesOrAsksForMore() {
        NdisOidRequest q = NdisOidRequest.query(Oid.OID_GEN_MAXIMUM_TOTAL_SIZE, 8);
        assertThat(q.writeUlong(1514)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(q.bytesWritten()).isEqualTo(4);
        assertThat(q.result()).containsExactly(0xEA, 0x05, 0, 0);

        NdisOidRequest small = NdisOidRequest.query(Oid.OID_GEN_MAXIMUM_TOTAL_SIZE, 3);
        assertThat(small.writeUlong64(1L)).isEqualTo(NdisStatus.BUFFER_TOO_SHORT);
        assertThat(small.bytesNeeded()).isEqualTo(8);
        assertThat(small.informationBuffer()).containsOnly(0);
    }

    @Test
    void tooShortSaysBufferTooShortForAQueryAndInvalidLengthForASet() {
        assertThat(NdisOidRequest.query(1, 0).tooShort(4)).isEqualTo(NdisStatus.BUFFER_TOO_SHORT);
        NdisOidRequest set = NdisOidRequest.set(1, new byte[2]);
        assertThat(set.tooShort(4)).isEqualTo(NdisStatus.INVALID_LENGTH);
        assertThat(set.bytesNeeded()).isEqualTo(4);
    }

    @Test
    void readsStopAtTheInputLength() {
        NdisOidRequest set = NdisOidRequest.set(1, new byte[] {1, 0, 0, 0, 9, 9, 9, 9}, 4);
        assertThat(set.readUlong(0)).isEqualTo(1);
        assertThatThrownBy(() -> set.readUlong(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(set.readInformation()).containsExactly(1, 0, 0, 0);
    }

    @Test
    void methodBuffersCarryInputAndOutputLengths() {
        NdisOidRequest m = NdisOidRequest.method(0xFF000001, 7, new byte[16], 4, 12);
        assertThat(m.requestType()).isEqualTo(NdisRequestType.NdisRequestMethod);
        assertThat(m.inputBufferLength()).isEqualTo(4);
        assertThat(m.outputBufferLength()).isEqualTo(12);
        assertThat(m.informationBufferLength()).isEqualTo(12);
        assertThat(m.methodId()).isEqualTo(7);
        assertThatThrownBy(() -> NdisOidRequest.method(1, 0, new byte[4], 8, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBufferLengthBeyondTheArrayIsRefused() {
        assertThatThrownBy(() -> NdisOidRequest.query(1, new byte[4], 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("InformationBufferLength 5");
        assertThatThrownBy(() -> NdisOidRequest.query(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
