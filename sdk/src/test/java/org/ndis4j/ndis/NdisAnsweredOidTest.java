package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.oid.Oid.OID_802_3_CURRENT_ADDRESS;
import static org.ndis4j.ndis.oid.Oid.OID_802_3_MAXIMUM_LIST_SIZE;
import static org.ndis4j.ndis.oid.Oid.OID_802_3_PERMANENT_ADDRESS;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_CURRENT_LOOKAHEAD;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_LINK_STATE;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_MAC_OPTIONS;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_MAXIMUM_FRAME_SIZE;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_MAX_LINK_SPEED;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_MEDIA_CONNECT_STATUS;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_SUPPORTED_LIST;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.oid.NdisLinkStatePayload;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.testing.KernelExtension;

/**
 * The OIDs NDIS answers itself from the general attributes and the link state: the bytes, BytesWritten,
 * BUFFER_TOO_SHORT with BytesNeeded, and that the miniport never sees them.
 */
@ExtendWith(KernelExtension.class)
class NdisAnsweredOidTest {

    private NdisOidClient start(Kernel kernel, OidMiniport miniport) {
        return NdisOidClient.of(miniport.start(kernel));
    }

    /** Issues a query that NDIS answers: the status comes back at once and no completion is called. */
    private static NdisStatus answeredNow(NdisOidClient client, NdisOidRequest query) {
        AtomicReference<NdisStatus> completion = new AtomicReference<>();
        NdisStatus status = client.request(query, completion::set);
        assertThat(status).isNotEqualTo(NdisStatus.PENDING);
        assertThat(completion.get()).isNull();
        return status;
    }

    @Test
    void eachAnsweredOidHasTheAttributeBytes(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        NdisOidClient client = start(kernel, miniport);

        assertAnswer(
                client, OID_GEN_SUPPORTED_LIST, 64, le(0x00020106, 0x00010111, 0x0001010E, 0x0001010F, 0x01010103));
        assertAnswer(client, OID_GEN_MAXIMUM_FRAME_SIZE, 4, le(1500));
        assertAnswer(client, OID_GEN_MEDIA_CONNECT_STATUS, 4, le(0)); // NdisMediaStateConnected
        assertAnswer(client, OID_GEN_MAC_OPTIONS, 4, le(0x48)); // NO_LOOPBACK | 8021P_PRIORITY
        assertAnswer(client, OID_GEN_CURRENT_LOOKAHEAD, 4, le(256));
        assertAnswer(client, OID_802_3_MAXIMUM_LIST_SIZE, 4, le(32));
        assertAnswer(client, OID_802_3_PERMANENT_ADDRESS, 6, OidMiniport.PERMANENT_MAC);
        assertAnswer(client, OID_802_3_CURRENT_ADDRESS, 8, OidMiniport.CURRENT_MAC);
        assertAnswer(
                client,
                OID_GEN_MAX_LINK_SPEED,
                16,
                bytes(
                        0x00, 0xE4, 0x0B, 0x54, 0x02, 0x00, 0x00, 0x00, // 10^10 (OidMiniport.SPEED), LE
                        0x00, 0xE4, 0x0B, 0x54, 0x02, 0x00, 0x00, 0x00));
        assertAnswer(
                client,
                OID_GEN_LINK_STATE,
                40,
                bytes(
                        0x80, 0x01, 0x28, 0x00, // header: DEFAULT, rev 1, 40
                        0x01, 0x00, 0x00, 0x00, // MediaConnectStateConnected
                        0x02, 0x00, 0x00, 0x00, // MediaDuplexStateFull
                        0x00, 0x00, 0x00, 0x00, // padding
                        0x00, 0xE4, 0x0B, 0x54, 0x02, 0x00, 0x00, 0x00, // XmitLinkSpeed
                        0x00, 0xE4, 0x0B, 0x54, 0x02, 0x00, 0x00, 0x00, // RcvLinkSpeed
                        0, 0, 0, 0, 0, 0, 0, 0)); // PauseFunctions, AutoNeg
        assertThat(miniport.arrivals).isEmpty();
    }

    @Test
    void theLinkStateAnswerFollowsIndications(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        NdisOidClient client = start(kernel, miniport);
        NdisMiniportAdapterHandle adapter = client.adapter();
        NdisLinkState down = NdisLinkState.disconnected();
        NdisM.indicateStatusEx(adapter, NdisStatusIndication.linkState(adapter, down));

        NdisOidRequest link = NdisOidRequest.query(OID_GEN_LINK_STATE, NdisLinkStatePayload.SIZE);
        assertThat(answeredNow(client, link)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(NdisLinkStatePayload.decode(link.result())).isEqualTo(down);
        NdisOidRequest media = NdisOidRequest.query(OID_GEN_MEDIA_CONNECT_STATUS, 4);
        assertThat(answeredNow(client, media)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(media.resultUlong()).isEqualTo(1); // NdisMediaStateDisconnected
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 39})
    void aShortBufferGetsBufferTooShortAndBytesNeeded(int length, Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        NdisOidClient client = start(kernel, miniport);
        byte[] buffer = new byte[length];
        java.util.Arrays.fill(buffer, (byte) 0x5A);
        NdisOidRequest link = NdisOidRequest.query(OID_GEN_LINK_STATE, buffer, length);

        assertThat(answeredNow(client, link)).isEqualTo(NdisStatus.BUFFER_TOO_SHORT);
        assertThat(link.bytesNeeded()).isEqualTo(40);
        assertThat(link.bytesWritten()).isZero();
        for (byte b : buffer) {
            assertThat(b).isEqualTo((byte) 0x5A); // untouched
        }
        assertThat(miniport.arrivals).isEmpty();
    }

    @Test
    void theSupportedListNeedsFourBytesPerOid(Kernel kernel) {
        NdisOidClient client = start(kernel, new OidMiniport());
        NdisOidRequest list = NdisOidRequest.query(OID_GEN_SUPPORTED_LIST, 8);
        assertThat(answeredNow(client, list)).isEqualTo(NdisStatus.BUFFER_TOO_SHORT);
        assertThat(list.bytesNeeded()).isEqualTo(4 * OidMiniport.SUPPORTED_OIDS.size());
    }

    @Test
    void aMacAddressIntoAFiveByteBufferIsTooShort(Kernel kernel) {
        NdisOidClient client = start(kernel, new OidMiniport());
        NdisOidRequest mac = NdisOidRequest.query(OID_802_3_CURRENT_ADDRESS, 5);
        assertThat(answeredNow(client, mac)).isEqualTo(NdisStatus.BUFFER_TOO_SHORT);
        assertThat(mac.bytesNeeded()).isEqualTo(6);
    }

    private static void assertAnswer(NdisOidClient client, int oid, int bufferLength, byte[] expected) {
        NdisOidRequest query = NdisOidRequest.query(oid, bufferLength);
        assertThat(answeredNow(client, query)).as(query.toString()).isEqualTo(NdisStatus.SUCCESS);
        assertThat(query.bytesWritten()).as(query.toString()).isEqualTo(expected.length);
        assertThat(query.result()).as(query.toString()).containsExactly(expected);
    }

    private static byte[] le(int... ulongs) {
        byte[] b = new byte[4 * ulongs.length];
        for (int i = 0; i < ulongs.length; i++) {
            for (int k = 0; k < 4; k++) {
                b[4 * i + k] = (byte) (ulongs[i] >>> (8 * k));
            }
        }
        return b;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
