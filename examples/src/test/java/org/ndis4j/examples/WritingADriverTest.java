package org.ndis4j.examples;

// README.md, "Writing a driver test", shows this file from the next line on; ReadmeSnippetTest keeps the two equal.
import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_BROADCAST;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_DIRECTED;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.vmini.VminiDriver;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
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

@ExtendWith(KernelExtension.class) // a fresh kernel per test; a bug check fails the test at once; 30 s timeout
class WritingADriverTest {

    static final MacAddress NIC = MacAddress.of("02:4e:44:00:00:01");
    static final MacAddress PEER = MacAddress.of("02:4e:44:00:00:02");
    static final int NIC_IP = Addresses.ipv4("192.0.2.1");
    static final int PEER_IP = Addresses.ipv4("192.0.2.2");

    @Test
    void aFrameInAFrameOutAndTheLinkFollowsTheCable(Kernel kernel) {
        InMemoryWire cable = InMemoryWire.pair(); // the NIC on one end, a peer on the other
        try (VirtualNic nic = VirtualNic.builder("nic0", cable.a())
                        .permanentAddress(NIC)
                        .build();
                WirePeer peer = WirePeer.on(cable.b())) {
            PnpManager pnp = PnpManager.of(kernel);
            NdisMiniportAdapterHandle adapter =
                    pnp.addDevice(pnp.loadDriver("vmini", VminiDriver::driverEntry), nic.resources());
            RecordingProtocol protocol = RecordingProtocol.bind(adapter); // a protocol driver bound to it
            protocol.awaitLinkState("link up", NdisLinkState::isConnected);
            assertThat(protocol.setPacketFilter(NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST))
                    .isEqualTo(NdisStatus.SUCCESS); // OID_GEN_CURRENT_PACKET_FILTER

            // A frame in: the peer asks who has the NIC's address; vmini's DPC indicates the frame.
            peer.send(
                    FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER.value()).arpRequest(PEER_IP, NIC_IP));
            Frame request = protocol.awaitReceive("the ARP request", Frame::isArp);
            assertThat(request.arp().targetIp()).isEqualTo(NIC_IP);

            // A frame out: the protocol answers; vmini puts it on the wire.
            protocol.send(FrameBuilder.ethernet(PEER.value(), NIC.value()).arpReply(NIC_IP, PEER.value(), PEER_IP));
            Frame reply = peer.awaitFrame("the ARP reply", Frame::isArp);
            assertThat(reply.arp().senderMac()).isEqualTo(NIC.value());

            // The link follows the cable: the link-change interrupt's DPC queues a work item, which
            // reads the PHY at PASSIVE_LEVEL and indicates NDIS_STATUS_LINK_STATE.
            cable.cut();
            protocol.awaitLinkState("link down", state -> !state.isConnected());
            assertThat(protocol.lastLinkIndication().irql()).isEqualTo(Irql.PASSIVE_LEVEL);

            // Halt: the verifier checks that every work item, timer, interrupt, NBL pool and block
            // of shared memory came back, and fails the test with the rule broken if one did not.
            pnp.removeDevice(adapter);
        }
    }
}
