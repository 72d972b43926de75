package org.ndis4j.examples;

// docs/tutorial.md, "Step 9", shows this file from the next line on; TutorialSnippetTest keeps the two equal.
import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_BROADCAST;
import static org.ndis4j.ndis.oid.NdisPacketType.NDIS_PACKET_TYPE_DIRECTED;
import static org.ndis4j.ndis.oid.Oid.OID_802_3_CURRENT_ADDRESS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.vmini.VminiDriver;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.VirtualNic;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.FrameBuilder;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.RecordingProtocol;
import org.ndis4j.wire.InMemoryWire;
import org.ndis4j.wire.WirePeer;

@ExtendWith(KernelExtension.class) // a fresh kernel per test, the verifier on; a bug check fails the test
class FirstMiniportTest {

    static final MacAddress NIC = MacAddress.of("02:4e:44:00:00:01");
    static final MacAddress PEER = MacAddress.of("02:4e:44:00:00:02");
    static final int NIC_IP = Addresses.ipv4("192.0.2.1");
    static final int PEER_IP = Addresses.ipv4("192.0.2.2");

    @Test
    void everyStepOfTheMiniportUnderTheTestKit(Kernel kernel) {
        InMemoryWire cable = InMemoryWire.pair();
        try (VirtualNic nic = VirtualNic.builder("nic0", cable.a())
                        .permanentAddress(NIC)
                        .build();
                WirePeer peer = WirePeer.on(cable.b())) {
            // Steps 1 and 2: DriverEntry registers the handlers; MiniportInitializeEx brings the NIC up.
            PnpManager pnp = PnpManager.of(kernel);
            NdisMiniportAdapterHandle adapter =
                    pnp.addDevice(pnp.loadDriver("vmini", VminiDriver::driverEntry), nic.resources());
            RecordingProtocol protocol = RecordingProtocol.bind(adapter);
            protocol.awaitLinkState("link up", NdisLinkState::isConnected);

            // Step 7: OIDs. NDIS answers the address initialize reported; vmini sets the packet filter.
            NdisOidRequest query = NdisOidRequest.query(OID_802_3_CURRENT_ADDRESS, 6);
            assertThat(protocol.request(query)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(MacAddress.of(query.informationBuffer(), 0)).isEqualTo(NIC);
            assertThat(protocol.setPacketFilter(NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST))
                    .isEqualTo(NdisStatus.SUCCESS);

            // Steps 3 and 5: 300 frames in, in bursts of 100, more than the ring's 255 receive
            // buffers: interrupts, DPCs and receive indications bring each one up to the protocol,
            // which returns the NBLs, and vmini posts their buffers to the ring again.
            for (int burst = 1; burst <= 3; burst++) {
                List<byte[]> in = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    in.add(FrameBuilder.ethernet(NIC.value(), PEER.value())
                            .ipv4(PEER_IP, NIC_IP)
                            .udp(1024, 7, new byte[] {(byte) i}));
                }
                assertThat(peer.send(in)).isEqualTo(100);
                protocol.awaitReceivedCount(100L * burst);
            }

            // Steps 3 and 4: 300 frames out in one call (the ring takes 256, the rest wait for slots);
            // each send completes once, with success.
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                out.add(FrameBuilder.ethernet(PEER.value(), NIC.value())
                        .ipv4(NIC_IP, PEER_IP)
                        .udp(7, 1024, new byte[] {(byte) i}));
            }
            protocol.send(out);
            peer.awaitFramesReceived(300);
            protocol.awaitSendCompletions(300);
            assertThat(protocol.sendCompletions()).containsOnly(NdisStatus.SUCCESS);

            // Step 6: the link work item. Pull the cable and put it back: each change is read from
            // the PHY at PASSIVE_LEVEL and indicated as NDIS_STATUS_LINK_STATE.
            cable.cut();
            protocol.awaitLinkState("link down", state -> !state.isConnected());
            assertThat(protocol.lastLinkIndication().irql()).isEqualTo(Irql.PASSIVE_LEVEL);
            cable.reconnect();
            protocol.awaitLinkState("link up again", NdisLinkState::isConnected);

            // Step 8: halt. The verifier fails the test if any work item, interrupt, pool, NBL or
            // block of shared memory that initialize took is still held afterwards.
            pnp.removeDevice(adapter);
        }
    }
}
