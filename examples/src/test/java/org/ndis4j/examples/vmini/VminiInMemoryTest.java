package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ndis4j.host.PnpManager;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.RecordingProtocol;
import org.ndis4j.wire.InMemoryWire;
import org.ndis4j.wire.WirePort;

/**
 * The scenarios over {@link InMemoryWire}, plus what needs a deterministic wire: a send burst larger
 * than the ring, pause and restart, OID errors, and a clean halt.
 */
class VminiInMemoryTest extends VminiScenarios {

    private InMemoryWire wire;

    @Override
    WirePort[] plugIn() {
        wire = InMemoryWire.pair();
        return new WirePort[] {wire.a(), wire.b()};
    }

    @Override
    void pullCable() {
        wire.cut();
    }

    @Override
    void plugCable() {
        wire.reconnect();
    }

    @Test
    void aBurstLargerThanTheRingWaitsInSoftwareAndEverySendCompletes() {
        int frames = 3 * VminiConfiguration.DEFAULTS.transmitRingSize();
        List<byte[]> burst = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            burst.add(frame(B, A, 200, i));
        }
        a.protocol.send(burst); // one call: 255 go into the ring, the rest wait for TX_DONE
        a.protocol.awaitSendCompletions(frames);
        assertThat(a.protocol.sendCompletions()).hasSize(frames).containsOnly(NdisStatus.SUCCESS);
        assertThat(statistics(a).ifHCOutUcastPkts()).isEqualTo(frames);
        // B had 255 receive buffers for a burst the wire delivers at once: what did not fit was
        // dropped by the device and is counted as a discard, nothing is lost without a count.
        Await.until("B accounted for every frame", () -> {
            NdisStatisticsInfo s = statistics(b);
            return s.ifHCInUcastPkts() + s.ifInDiscards() == frames;
        });
        // The device counts a frame when it lands in a buffer; the DPC indicates it a little later.
        long landed = statistics(b).ifHCInUcastPkts();
        Await.until("B's protocol received every frame that landed", () -> b.protocol.receivedCount() == landed);
    }

    @Test
    void oneWireBurstIsIndicatedInBatchesOfMaxNblsToIndicate() {
        List<byte[]> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            burst.add(frame(B, A, 80, i));
        }
        exchange(a, b, burst, burst.size()); // the in-memory wire delivers the whole burst: one interrupt
        assertThat(b.protocol.received()).containsExactlyElementsOf(burst);
        assertThat(b.protocol.indicationSizes())
                .contains(64)
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(64));
    }

    @Test
    void pauseStopsTheDataPathAndRestartResumesIt() {
        PnpManager pnp = PnpManager.of(b.kernel);
        pnp.pause(b.adapter);
        int before = b.protocol.received().size();
        a.protocol.send(List.of(frame(B, A, 64, 1), frame(B, A, 64, 2)));
        a.protocol.awaitSendCompletions(2);
        assertThat(a.protocol.sendCompletions())
                .hasSize(2)
                .containsOnly(NdisStatus.SUCCESS); // on the wire; B's receive unit is off

        // B's protocol sends while B is paused: NDIS completes them with NDIS_STATUS_PAUSED.
        b.protocol.send(List.of(frame(A, B, 64, 3)));
        b.protocol.awaitSendCompletions(1);
        assertThat(b.protocol.sendCompletions()).containsExactly(NdisStatus.PAUSED);

        assertThat(pnp.restart(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
        List<byte[]> after = List.of(frame(B, A, 90, 4));
        exchange(a, b, after, 1);
        assertThat(received(b, before)).containsExactlyElementsOf(after);
    }

    @Test
    void oidErrorsGetTheStatusNdisExpects() {
        RecordingProtocol p = b.protocol;
        NdisOidRequest total = NdisOidRequest.query(Oid.OID_GEN_MAXIMUM_TOTAL_SIZE, 4);
        assertThat(p.request(total)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(total.resultUlong()).isEqualTo(1514);

        NdisOidRequest shortStatistics = NdisOidRequest.query(Oid.OID_GEN_STATISTICS, 16);
        assertThat(p.request(shortStatistics)).isEqualTo(NdisStatus.BUFFER_TOO_SHORT);
        assertThat(shortStatistics.bytesNeeded()).isEqualTo(NdisStatisticsInfo.SIZE);

        assertThat(p.request(NdisOidRequest.query(0x00FF_FF01, 4))).isEqualTo(NdisStatus.INVALID_OID);
        assertThat(p.request(NdisOidRequest.query(Oid.OID_GEN_INTERRUPT_MODERATION, 64)))
                .isEqualTo(NdisStatus.NOT_SUPPORTED);
        assertThat(p.request(NdisOidRequest.set(Oid.OID_GEN_STATISTICS, new byte[NdisStatisticsInfo.SIZE])))
                .isEqualTo(NdisStatus.NOT_SUPPORTED);

        assertThat(b.setPacketFilter(NdisPacketType.NDIS_PACKET_TYPE_SOURCE_ROUTING))
                .isEqualTo(NdisStatus.NOT_SUPPORTED);
        NdisOidRequest shortFilter = NdisOidRequest.set(Oid.OID_GEN_CURRENT_PACKET_FILTER, new byte[2]);
        assertThat(p.request(shortFilter)).isEqualTo(NdisStatus.INVALID_LENGTH);
        assertThat(shortFilter.bytesNeeded()).isEqualTo(4);

        assertThat(p.request(NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, new byte[7])))
                .isEqualTo(NdisStatus.INVALID_LENGTH);
        assertThat(p.request(NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, OTHER_HOST.bytes())))
                .isEqualTo(NdisStatus.INVALID_DATA);
        byte[] tooMany = new byte[6 * (VminiHardware.MULTICAST_LIST_SIZE + 1)];
        for (int i = 0; i < VminiHardware.MULTICAST_LIST_SIZE + 1; i++) {
            System.arraycopy(new MacAddress(0x01_00_5E_00_00_00L + i).bytes(), 0, tooMany, 6 * i, 6);
        }
        assertThat(p.request(NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, tooMany)))
                .isEqualTo(NdisStatus.MULTICAST_FULL);

        byte[] two = new byte[12];
        System.arraycopy(JOINED_GROUP.bytes(), 0, two, 0, 6);
        System.arraycopy(OTHER_GROUP.bytes(), 0, two, 6, 6);
        assertThat(p.request(NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, two)))
                .isEqualTo(NdisStatus.SUCCESS);
        NdisOidRequest list = NdisOidRequest.query(Oid.OID_802_3_MULTICAST_LIST, 6 * 32);
        assertThat(p.request(list)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(list.result()).isEqualTo(two);

        NdisOidRequest supported = NdisOidRequest.query(Oid.OID_GEN_SUPPORTED_LIST, 4 * 64);
        assertThat(p.request(supported)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(supported.bytesWritten()).isEqualTo(4 * VminiControlPath.SUPPORTED_OIDS.size());
    }

    @Test
    void sendsThatCannotBeFramesCompleteWithInvalidLength() {
        a.protocol.send(
                List.of(new byte[10], frame(B, A, 64, 1), new byte[VminiConfiguration.DEFAULTS.maxFrameLength() + 1]));
        a.protocol.awaitSendCompletions(3);
        assertThat(a.protocol.sendCompletions())
                .containsExactlyInAnyOrder(NdisStatus.INVALID_LENGTH, NdisStatus.SUCCESS, NdisStatus.INVALID_LENGTH);
        assertThat(statistics(a).ifOutDiscards()).isEqualTo(2);
    }

    @Test
    void haltGivesBackEverySharedMemoryBlockAndTheDeviceGoesQuiet() {
        exchange(a, b, List.of(frame(B, A, 64, 1)), 1);
        assertThat(a.memory.allocatedBytes()).isPositive();
        a.removeDevice(); // MiniportHaltEx: the verifier checks work item, interrupt and pool; the station
        // checks memory
        b.removeDevice();
        assertThat(a.memory.allocatedBytes()).isZero();
        assertThat(b.memory.allocatedBytes()).isZero();
        long unclaimed = b.nic.resources().interrupt().unclaimed();
        wire.cut(); // a link change on a halted device raises its line into nothing
        assertThat(b.nic.resources().interrupt().unclaimed()).isGreaterThanOrEqualTo(unclaimed);
        assertThat(b.nic.resources().interrupt().isConnected()).isFalse();
    }
}
