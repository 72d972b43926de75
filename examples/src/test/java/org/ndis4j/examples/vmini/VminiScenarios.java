package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_BROADCAST;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_DIRECTED;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_MULTICAST;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_PROMISCUOUS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.FrameBuilder;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.RecordingProtocol;
import org.ndis4j.wire.WirePort;

/**
 * What vmini must do on any wire, written once (as Netty's testsuite is) and run by a subclass per
 * transport: two machines, each a kernel with a virtual NIC, vmini and the test kit's recording
 * protocol, joined by the subclass's wire. Every test ends by removing both devices, which must halt
 * with nothing leaked.
 */
@ExtendWith(KernelExtension.class)
abstract class VminiScenarios {

    static final MacAddress A = MacAddress.of("02:4e:44:00:0a:01");
    static final MacAddress B = MacAddress.of("02:4e:44:00:0b:01");
    static final MacAddress OTHER_HOST = MacAddress.of("02:00:00:00:00:77");
    static final MacAddress JOINED_GROUP = MacAddress.of("01:00:5e:00:00:fb");
    static final MacAddress OTHER_GROUP = MacAddress.of("33:33:00:00:00:01");
    static final int NORMAL = NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST | NDIS_PACKET_TYPE_MULTICAST;

    VminiStation a;
    VminiStation b;

    /** The two ends of a wire between the machines, connected (or connecting). */
    abstract WirePort[] plugIn();

    /** Pulls machine A's cable (and, on a point-to-point wire, B's with it). */
    abstract void pullCable();

    /** Plugs it back in. */
    abstract void plugCable();

    /** After both machines are gone: the subclass tears its wire down. */
    void unplug() {}

    @BeforeEach
    void boot(Kernel kernelA, Kernel kernelB) {
        WirePort[] wire = plugIn();
        a = new VminiStation(kernelA, "vnic-a", wire[0], A);
        b = new VminiStation(kernelB, "vnic-b", wire[1], B);
        a.awaitLinkUpAndSetFilter("A", NORMAL);
        b.awaitLinkUpAndSetFilter("B", NORMAL);
    }

    @AfterEach
    void shutDown() {
        try {
            VminiStation.closeInReverse(a, b);
        } finally {
            unplug();
        }
    }

    /** {@code count} 100-byte test frames from A to B, numbered from {@code firstSeq}. */
    static List<byte[]> framesFromAToB(int count, int firstSeq) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(frame(B, A, 100, firstSeq + i));
        }
        return frames;
    }

    /** A test frame of {@code length} bytes from {@code source} to {@code destination}, numbered {@code seq}. */
    static byte[] frame(MacAddress destination, MacAddress source, int length, int seq) {
        return FrameBuilder.ethernet(destination.value(), source.value()).testPattern(length, seq);
    }

    /** {@code from} sends {@code frames}; waits until {@code to} has received {@code expected} more. */
    static void exchange(VminiStation from, VminiStation to, List<byte[]> frames, int expected) {
        long before = to.protocol.receivedCount();
        long completedBefore = from.protocol.sendCompletionCount();
        from.protocol.send(frames);
        from.protocol.awaitSendCompletions(completedBefore + frames.size());
        to.protocol.awaitReceivedCount(before + expected);
    }

    static List<byte[]> received(VminiStation station, int from) {
        List<byte[]> all = station.protocol.received();
        return all.subList(from, all.size());
    }

    @Test
    void framesCrossTheWireByteForByteInBothDirections() {
        List<byte[]> toB = new ArrayList<>();
        List<byte[]> toA = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            toB.add(frame(B, A, 60 + i * 72, i));
            toA.add(frame(A, B, VminiConfiguration.DEFAULTS.jumboPacket() - i * 50, 100 + i));
        }
        toB.add(frame(MacAddress.BROADCAST, A, 64, 999));
        exchange(a, b, toB, toB.size());
        exchange(b, a, toA, toA.size());
        assertThat(b.protocol.received()).containsExactlyElementsOf(toB);
        assertThat(a.protocol.received()).containsExactlyElementsOf(toA);
        assertThat(a.protocol.sendCompletions())
                .containsOnly(NdisStatus.SUCCESS)
                .hasSize(toB.size());
        assertThat(b.protocol.sendCompletions())
                .containsOnly(NdisStatus.SUCCESS)
                .hasSize(toA.size());
    }

    @Test
    void thePacketFilterOidDecidesWhatIsReceived() {
        MacAddress[] destinations = {B, OTHER_HOST, JOINED_GROUP, OTHER_GROUP, MacAddress.BROADCAST};
        // Directed only: of five frames, only the one to B; the sentinel behind them proves the rest were dropped.
        assertThat(b.setPacketFilter(NDIS_PACKET_TYPE_DIRECTED)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(receivedOf(destinations, 1)).containsExactly(B);

        // Broadcast and the multicast list.
        assertThat(b.protocol.setMulticastList(JOINED_GROUP.value())).isEqualTo(NdisStatus.SUCCESS);
        assertThat(b.setPacketFilter(
                        NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_MULTICAST | NDIS_PACKET_TYPE_BROADCAST))
                .isEqualTo(NdisStatus.SUCCESS);
        assertThat(receivedOf(destinations, 2)).containsExactly(B, JOINED_GROUP, MacAddress.BROADCAST);

        // Promiscuous: everything.
        assertThat(b.setPacketFilter(NDIS_PACKET_TYPE_PROMISCUOUS)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(receivedOf(destinations, 3)).containsExactly(destinations);

        // NDIS answers the query with what the miniport accepted last.
        NdisOidRequest query = NdisOidRequest.query(Oid.OID_GEN_CURRENT_PACKET_FILTER, 4);
        assertThat(b.protocol.request(query)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(query.resultUlong()).isEqualTo(NDIS_PACKET_TYPE_PROMISCUOUS);
    }

    /** A sends one frame to each destination, then a directed sentinel; returns what B received, in order. */
    private List<MacAddress> receivedOf(MacAddress[] destinations, int round) {
        int before = b.protocol.received().size();
        List<byte[]> frames = new ArrayList<>();
        for (MacAddress destination : destinations) {
            frames.add(frame(destination, A, 64, round));
        }
        byte[] sentinel = frame(B, A, 61, -round);
        frames.add(sentinel);
        long completed = a.protocol.sendCompletionCount();
        a.protocol.send(frames);
        a.protocol.awaitSendCompletions(completed + frames.size());
        Await.until("the sentinel", () -> b.protocol.received().stream().anyMatch(f -> Arrays.equals(f, sentinel)));
        List<MacAddress> seen = new ArrayList<>();
        for (byte[] f : received(b, before)) {
            if (!Arrays.equals(f, sentinel)) {
                seen.add(MacAddress.of(f, 0));
            }
        }
        return seen;
    }

    @Test
    void statisticsCountWhatCrossedTheWire() {
        List<byte[]> toB = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            toB.add(frame(B, A, 100, i));
        }
        toB.add(frame(MacAddress.BROADCAST, A, 60, 10));
        toB.add(frame(JOINED_GROUP, A, 70, 11)); // not in B's (empty) multicast list: filtered
        toB.add(frame(B, A, 80, 12));
        exchange(a, b, toB, 12);
        Await.until("B counted the last frame", () -> statistics(b).ifHCInUcastPkts() == 11);

        NdisStatisticsInfo sent = statistics(a);
        assertThat(sent.ifHCOutUcastPkts()).isEqualTo(11);
        assertThat(sent.ifHCOutBroadcastPkts()).isEqualTo(1);
        assertThat(sent.ifHCOutMulticastPkts()).isEqualTo(1);
        assertThat(sent.ifHCOutOctets()).isEqualTo(10 * 100 + 80 + 60 + 70);
        assertThat(sent.ifHCOutUcastOctets()).isEqualTo(10 * 100 + 80);
        assertThat(sent.ifHCOutBroadcastOctets()).isEqualTo(60);
        assertThat(sent.ifHCOutMulticastOctets()).isEqualTo(70);
        assertThat(sent.ifOutErrors()).isZero();
        assertThat(sent.ifOutDiscards()).isZero();
        assertThat(sent.supportedStatistics() & NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_DIRECTED_FRAMES_XMIT)
                .isNotZero();

        NdisStatisticsInfo got = statistics(b);
        assertThat(got.ifHCInUcastPkts()).isEqualTo(11);
        assertThat(got.ifHCInBroadcastPkts()).isEqualTo(1);
        assertThat(got.ifHCInMulticastPkts()).isZero();
        assertThat(got.ifHCInOctets()).isEqualTo(10 * 100 + 80 + 60);
        assertThat(got.ifInDiscards()).isZero();
        assertThat(got.ifInErrors()).isZero();

        NdisOidRequest xmitOk = NdisOidRequest.query(Oid.OID_GEN_XMIT_OK, 8);
        assertThat(a.protocol.request(xmitOk)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(xmitOk.bytesWritten()).isEqualTo(8);
        assertThat(xmitOk.resultUlong()).isEqualTo(toB.size());
    }

    static NdisStatisticsInfo statistics(VminiStation station) {
        NdisOidRequest request = NdisOidRequest.query(Oid.OID_GEN_STATISTICS, NdisStatisticsInfo.SIZE);
        assertThat(station.protocol.request(request)).isEqualTo(NdisStatus.SUCCESS);
        return NdisStatisticsInfo.decode(request.result());
    }

    @Test
    void aPulledCableIsIndicatedFromTheWorkItemAtPassiveLevel() {
        int linksBefore = a.protocol.linkIndications().size();
        pullCable();
        a.protocol.awaitLinkState("A's protocol hears link down", s -> !s.isConnected());
        RecordingProtocol.LinkIndication down = a.protocol.lastLinkIndication();
        assertThat(down.state().isConnected()).isFalse();
        assertThat(down.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(down.thread()).contains("CriticalWorkQueue");

        // Sends while the link is down complete with NDIS_STATUS_MEDIA_DISCONNECTED.
        int completed = a.protocol.sendCompletions().size();
        a.protocol.send(List.of(frame(B, A, 64, 1)));
        a.protocol.awaitSendCompletions(completed + 1);
        assertThat(a.protocol.sendCompletions().get(completed)).isEqualTo(NdisStatus.MEDIA_DISCONNECTED);

        plugCable();
        a.protocol.awaitLinkState("A's protocol hears link up", NdisLinkState::isConnected);
        Await.until("B's link up", () -> AdapterView.of(b.adapter).linkState().isConnected());
        RecordingProtocol.LinkIndication up = a.protocol.lastLinkIndication();
        assertThat(up.state().isConnected()).isTrue();
        assertThat(up.state().xmitLinkSpeed()).isEqualTo(1_000_000_000L);
        assertThat(up.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(a.protocol.linkIndications().size()).isGreaterThanOrEqualTo(linksBefore + 2);

        List<byte[]> again = List.of(frame(B, A, 128, 2));
        exchange(a, b, again, 1);
        assertThat(b.protocol.received()).last().isEqualTo(again.get(0));
    }

    @Test
    void receiveIndicationsHonourTheThrottle() {
        List<byte[]> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            burst.add(frame(B, A, 100, i));
        }
        exchange(a, b, burst, burst.size());
        assertThat(b.protocol.received()).containsExactlyElementsOf(burst);
        assertThat(b.protocol.indicationSizes()).allSatisfy(n -> assertThat(n).isBetween(1, 64));
    }
}
