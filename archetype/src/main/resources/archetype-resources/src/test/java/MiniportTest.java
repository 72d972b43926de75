package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_BROADCAST;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_DIRECTED;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_MULTICAST;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.VirtualNic;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.Frame;
import org.ndis4j.testing.FrameBuilder;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.RecordingProtocol;
import org.ndis4j.wire.InMemoryWire;
import org.ndis4j.wire.WirePeer;

/**
 * The driver on a virtual NIC whose cable ends in a peer the test drives. KernelExtension boots a fresh
 * kernel per test with the verifier on: a broken NDIS rule, a bug check, a leaked buffer, work item,
 * pool or block of shared memory fails the test, with the rule and where the object was allocated.
 */
@ExtendWith(KernelExtension.class)
class MiniportTest {

    static final MacAddress NIC = MacAddress.of("02:4e:44:00:00:01");
    static final MacAddress PEER = MacAddress.of("02:4e:44:00:00:02");
    static final int NIC_IP = Addresses.ipv4("192.0.2.1");
    static final int PEER_IP = Addresses.ipv4("192.0.2.2");

    @Test
    void answersAnArpRequestOverTheWireAndFollowsTheCable(Kernel kernel) {
        InMemoryWire cable = InMemoryWire.pair(); // the NIC on one end, the peer on the other
        try (VirtualNic nic = VirtualNic.builder("nic0", cable.a())
                        .permanentAddress(NIC)
                        .build();
                WirePeer peer = WirePeer.on(cable.b())) {
            PnpManager pnp = PnpManager.of(kernel);
            NdisMiniportAdapterHandle adapter =
                    pnp.addDevice(pnp.loadDriver("miniport", Miniport::driverEntry), nic.resources());
            RecordingProtocol protocol = RecordingProtocol.bind(adapter);
            protocol.awaitLinkState("link up", NdisLinkState::isConnected);
            assertThat(protocol.setPacketFilter(NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST))
                    .isEqualTo(NdisStatus.SUCCESS);

            // In: the interrupt's DPC indicates the peer's broadcast.
            peer.send(
                    FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER.value()).arpRequest(PEER_IP, NIC_IP));
            Frame request = protocol.awaitReceive("the ARP request", Frame::isArp);
            assertThat(request.arp().targetIp()).isEqualTo(NIC_IP);

            // Out: the protocol's reply goes through the transmit ring onto the wire.
            protocol.send(FrameBuilder.ethernet(PEER.value(), NIC.value()).arpReply(NIC_IP, PEER.value(), PEER_IP));
            Frame reply = peer.awaitFrame("the ARP reply", Frame::isArp);
            assertThat(reply.arp().senderMac()).isEqualTo(NIC.value());
            protocol.awaitSendCompletions(1);
            assertThat(protocol.sendCompletions()).containsExactly(NdisStatus.SUCCESS);

            // Multicast, as an IP stack asks for it: the filter bit and the groups.
            long group = 0x01_00_5E_00_00_FBL;
            assertThat(protocol.setPacketFilter(
                            NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST | NDIS_PACKET_TYPE_MULTICAST))
                    .isEqualTo(NdisStatus.SUCCESS);
            assertThat(protocol.setMulticastList(group)).isEqualTo(NdisStatus.SUCCESS);
            peer.send(FrameBuilder.ethernet(group, PEER.value()).testPattern(100, 1));
            protocol.awaitReceive("the multicast frame", frame -> frame.destination() == group);

            // The cable: the link-change interrupt's DPC indicates the new link state.
            cable.cut();
            protocol.awaitLinkState("link down", state -> !state.isConnected());

            pnp.removeDevice(adapter); // halt: the verifier accounts for everything initialize allocated
        }
    }

    @Test
    void framesGoRoundBothRingsManyTimesInOrder(Kernel kernel) {
        InMemoryWire cable = InMemoryWire.pair();
        try (VirtualNic nic = VirtualNic.builder("nic0", cable.a())
                        .permanentAddress(NIC)
                        .build();
                WirePeer peer = WirePeer.on(cable.b())) {
            PnpManager pnp = PnpManager.of(kernel);
            NdisMiniportAdapterHandle adapter =
                    pnp.addDevice(pnp.loadDriver("miniport", Miniport::driverEntry), nic.resources());
            RecordingProtocol protocol = RecordingProtocol.bind(adapter);
            protocol.awaitLinkState("link up", NdisLinkState::isConnected);
            assertThat(protocol.setPacketFilter(NDIS_PACKET_TYPE_DIRECTED)).isEqualTo(NdisStatus.SUCCESS);

            // Batches smaller than a ring, five rings' worth in all: each slot is used again and again.
            int batch = Hardware.TX_RING_SIZE / 2;
            List<byte[]> sent = new ArrayList<>();
            List<byte[]> arrived = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                List<byte[]> out = new ArrayList<>();
                List<byte[]> in = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    int seq = round * batch + i;
                    out.add(FrameBuilder.ethernet(PEER.value(), NIC.value()).testPattern(60 + seq % 1400, seq));
                    in.add(FrameBuilder.ethernet(NIC.value(), PEER.value()).testPattern(60 + seq % 1400, seq));
                }
                protocol.send(out);
                protocol.awaitSendCompletions(sent.size() + batch);
                sent.addAll(out);
                assertThat(peer.send(in)).isEqualTo(batch);
                arrived.addAll(in);
                protocol.awaitReceivedCount(arrived.size());
            }
            peer.awaitFramesReceived(sent.size());
            assertThat(protocol.sendCompletions()).hasSize(sent.size()).containsOnly(NdisStatus.SUCCESS);
            assertThat(peer.received()).containsExactlyElementsOf(sent);
            assertThat(protocol.received()).containsExactlyElementsOf(arrived);

            pnp.removeDevice(adapter);
        }
    }
}
