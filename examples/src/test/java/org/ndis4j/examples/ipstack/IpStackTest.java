package org.ndis4j.examples.ipstack;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.IpHost;
import org.ndis4j.examples.vmini.VminiProbe;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.ThreadKind;
import org.ndis4j.ndis.types.HandleKind;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.testing.Addresses;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.Frame;
import org.ndis4j.testing.FrameBuilder;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.wire.InMemoryWire;
import org.ndis4j.wire.WirePeer;

/**
 * ipstack on one host (vmini, vlanfilter passing everything, ipstack) against the test kit's wire
 * peer on an in-memory cable. Every frame ipstack sends is compared byte for byte with the frame the
 * kit's {@link FrameBuilder} builds from the RFCs (padded to the 60-byte Ethernet minimum, as
 * ipstack pads), and every frame the peer sends is built by it.
 */
@ExtendWith(KernelExtension.class)
class IpStackTest {

    static final long NIC = Addresses.mac("02:4e:44:00:00:01");
    static final long PEER = Addresses.mac("02:4e:44:00:00:02");
    static final int NIC_IP = Addresses.ipv4("192.0.2.1");
    static final int PEER_IP = Addresses.ipv4("192.0.2.2");
    static final Duration SECOND = Duration.ofSeconds(1);

    InMemoryWire cable;
    WirePeer peer;
    IpHost host;

    /** ARP retries 100 ms apart; entries live the default minute, so none expires during a test. */
    static final InterfaceConfig CONFIG =
            InterfaceConfig.of(NIC_IP, 24).withArp(3, Duration.ofMillis(100), InterfaceConfig.DEFAULT_ARP_LIFETIME);

    @BeforeEach
    void boot(Kernel kernel) {
        start(kernel, CONFIG);
    }

    void start(Kernel kernel, InterfaceConfig config) {
        cable = InMemoryWire.pair();
        peer = WirePeer.on(cable.b());
        host = IpHost.builder("host", cable.a())
                .kernel(kernel)
                .mac(new MacAddress(NIC))
                .address(config)
                .start();
        Await.until("ipstack's link up", host.ip()::isLinkUp);
    }

    @AfterEach
    void shutDown() {
        try {
            if (host != null) {
                host.close();
                assertThat(host.memory().allocatedBytes())
                        .as("shared memory after halt")
                        .isZero();
            }
        } finally {
            peer.close();
        }
    }

    /** What ipstack puts on the wire: the frame, zero-padded to 60 bytes. */
    static byte[] padded(byte[] frame) {
        return Arrays.copyOf(frame, Math.max(60, frame.length));
    }

    static byte[] pattern(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) i;
        }
        return data;
    }

    IpStatistics stats() {
        return host.ip().statistics();
    }

    /** ARP frames ipstack has sent: requests, replies and announcements. */
    long arpFramesSent() {
        return stats().get(IpCounter.ARP_REQUESTS_SENT)
                + stats().get(IpCounter.ARP_REPLIES_SENT)
                + stats().get(IpCounter.ARP_GRATUITOUS_SENT);
    }

    /** The peer asks who has NIC_IP: ipstack learns the peer from it (RFC 826) and answers. */
    void introducePeer() {
        peer.send(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).arpRequest(PEER_IP, NIC_IP));
        peer.awaitFrame("the ARP reply", f -> f.isArp() && f.arp().isReply());
    }

    @Test
    void pingResolvesTheNextHopThenSendsTheRequestByteForByte() {
        CompletableFuture<Optional<EchoReply>> ping = host.ping(PEER_IP, 0x1234, 1, 56, Duration.ofSeconds(5));

        Frame request =
                peer.awaitFrame("the ARP request", f -> f.isArp() && f.arp().targetIp() == PEER_IP);
        assertThat(request.bytes())
                .isEqualTo(padded(
                        FrameBuilder.ethernet(Addresses.BROADCAST_MAC, NIC).arpRequest(NIC_IP, PEER_IP)));
        peer.send(FrameBuilder.ethernet(NIC, PEER).arpReply(PEER_IP, NIC, NIC_IP));

        Frame echo = peer.awaitFrame("the echo request", Frame::isIcmp);
        assertThat(echo.bytes())
                .isEqualTo(
                        FrameBuilder.ethernet(PEER, NIC).ipv4(NIC_IP, PEER_IP).icmpEchoRequest(0x1234, 1, pattern(56)));
        peer.send(FrameBuilder.ethernet(NIC, PEER)
                .ipv4(PEER_IP, NIC_IP)
                .ttl(63)
                .icmpEchoReply(0x1234, 1, echo.icmp().data()));

        EchoReply reply = Await.result("the echo reply", ping).orElseThrow();
        assertThat(reply.source()).isEqualTo(PEER_IP);
        assertThat(reply.sequence()).isEqualTo(1);
        assertThat(reply.ttl()).isEqualTo(63);
        assertThat(reply.icmpLength()).isEqualTo(64);
        assertThat(reply.intact()).isTrue();
        assertThat(reply.rttNanos()).isPositive();
        assertThat(host.ip().arpEntries()).containsExactly(new ArpEntry(PEER_IP, PEER, ArpEntry.State.REACHABLE, 0));
    }

    @Test
    void answersArpForItsOwnAddressOnlyByteForByte() {
        int other = Addresses.ipv4("192.0.2.99");
        peer.send(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).arpRequest(PEER_IP, other));
        peer.send(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).arpRequest(PEER_IP, NIC_IP));

        Frame reply = peer.awaitFrame("the ARP reply", f -> f.isArp() && f.arp().isReply());
        assertThat(reply.bytes())
                .isEqualTo(padded(FrameBuilder.ethernet(PEER, NIC).arpReply(NIC_IP, PEER, PEER_IP)));
        // Frames arrive in order: had ipstack answered for .99 that reply would have come first.
        assertThat(peer.received().stream()
                        .map(Frame::parse)
                        .filter(f -> f.isArp() && f.arp().isReply()))
                .hasSize(1);
        assertThat(stats().get(IpCounter.ARP_NOT_FOR_US)).isEqualTo(1);
        assertThat(stats().get(IpCounter.ARP_REPLIES_SENT)).isEqualTo(1);
    }

    @Test
    void answersAnEchoRequestByteForByte() {
        introducePeer();
        byte[] data = "ndis4j".getBytes(US_ASCII);
        peer.send(FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).icmpEchoRequest(77, 9, data));

        Frame reply = peer.awaitFrame("the echo reply", Frame::isIcmp);
        assertThat(reply.bytes())
                .isEqualTo(padded(
                        FrameBuilder.ethernet(PEER, NIC).ipv4(NIC_IP, PEER_IP).icmpEchoReply(77, 9, data)));
        assertThat(reply.length()).isEqualTo(60);
        assertThat(stats().get(IpCounter.ICMP_ECHO_REPLIES_SENT)).isEqualTo(1);
    }

    @Test
    void theUdpEchoServiceAnswersByteForByte() {
        introducePeer();
        byte[] data = pattern(300);
        peer.send(FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).udp(40000, 7, data));

        Frame echo = peer.awaitFrame("the UDP echo", Frame::isUdp);
        assertThat(echo.bytes())
                .isEqualTo(
                        FrameBuilder.ethernet(PEER, NIC).ipv4(NIC_IP, PEER_IP).udp(7, 40000, data));
        assertThat(stats().get(IpCounter.UDP_ECHOED)).isEqualTo(1);
    }

    @Test
    void theUdpEchoServiceAnswersAnOddLengthByteForByte() {
        introducePeer();
        byte[] data = pattern(23);
        peer.send(FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).udp(40000, 7, data));

        Frame echo = peer.awaitFrame("the UDP echo", Frame::isUdp);
        assertThat(echo.bytes())
                .isEqualTo(padded(
                        FrameBuilder.ethernet(PEER, NIC).ipv4(NIC_IP, PEER_IP).udp(7, 40000, data)));
    }

    @Test
    void aDatagramWhoseChecksumComputesToZeroIsSentWithFfff() {
        introducePeer();
        // Two bytes of data that bring the sum of pseudo-header, header and data to 0xFFFF.
        long sum = Checksum.pseudoHeader(NIC_IP, PEER_IP, Ipv4.PROTOCOL_UDP, 10) + 7 + 40000 + 10;
        int word = 0xFFFF - (Checksum.finish(sum) ^ 0xFFFF);
        byte[] data = {(byte) (word >>> 8), (byte) word};
        peer.send(FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).udp(40000, 7, data));

        Frame echo = peer.awaitFrame("the UDP echo", Frame::isUdp);
        assertThat(echo.bytes())
                .isEqualTo(padded(
                        FrameBuilder.ethernet(PEER, NIC).ipv4(NIC_IP, PEER_IP).udp(7, 40000, data)));
        int udp = Ethernet.HEADER_LENGTH + Ipv4.HEADER_LENGTH;
        assertThat((echo.bytes()[udp + 6] & 0xFF) << 8 | echo.bytes()[udp + 7] & 0xFF)
                .isEqualTo(0xFFFF);
    }

    @Test
    void aHeaderWithOptionsIsCheckedWholeAndItsPayloadDelivered() {
        introducePeer();
        byte[] data = pattern(40);
        byte[] plain = FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).udp(40000, 7, data);
        byte[] withOptions = withFourBytesOfOptions(plain);
        byte[] badOptions = withOptions.clone();
        badOptions[Ethernet.HEADER_LENGTH + 21] ^= 1; // an option byte: only the whole 24-byte sum sees it

        peer.send(badOptions);
        peer.send(withOptions);

        Frame echo = peer.awaitFrame("the UDP echo", Frame::isUdp);
        assertThat(echo.bytes())
                .isEqualTo(
                        FrameBuilder.ethernet(PEER, NIC).ipv4(NIC_IP, PEER_IP).udp(7, 40000, data));
        assertThat(stats().get(IpCounter.IP_BAD_CHECKSUM)).isEqualTo(1);
        assertThat(stats().get(IpCounter.UDP_ECHOED)).isEqualTo(1);
    }

    /** {@code frame}'s IPv4 header grown to 24 bytes by four NOP options, its checksum recomputed. */
    private static byte[] withFourBytesOfOptions(byte[] frame) {
        int ip = Ethernet.HEADER_LENGTH;
        byte[] grown = new byte[frame.length + 4];
        System.arraycopy(frame, 0, grown, 0, ip + Ipv4.HEADER_LENGTH);
        Arrays.fill(grown, ip + Ipv4.HEADER_LENGTH, ip + Ipv4.HEADER_LENGTH + 4, (byte) 1);
        System.arraycopy(frame, ip + Ipv4.HEADER_LENGTH, grown, ip + Ipv4.HEADER_LENGTH + 4, frame.length - ip - 20);
        grown[ip] = 0x46;
        int total = ((grown[ip + 2] & 0xFF) << 8 | grown[ip + 3] & 0xFF) + 4;
        grown[ip + 2] = (byte) (total >>> 8);
        grown[ip + 3] = (byte) total;
        grown[ip + 10] = 0;
        grown[ip + 11] = 0;
        int checksum = Checksum.of(Unpooled.wrappedBuffer(grown), ip, 24);
        grown[ip + 10] = (byte) (checksum >>> 8);
        grown[ip + 11] = (byte) checksum;
        return grown;
    }

    @Test
    void sendUdpAndListenersDeliverDatagrams() {
        introducePeer();
        List<String> heard = new CopyOnWriteArrayList<>();
        host.ip().listenUdp(5000, (source, sourcePort, port, frame, offset, length) -> {
            byte[] bytes = new byte[length];
            frame.getBytes(offset, bytes);
            heard.add(Addresses.formatIpv4(source) + ":" + sourcePort + " " + new String(bytes, US_ASCII));
            Await.changed();
        });
        peer.send(FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).udp(6000, 5000, "hello".getBytes(US_ASCII)));
        peer.send(FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).udp(6000, 5001, new byte[3]));
        Await.until("the datagram", () -> !heard.isEmpty());
        assertThat(heard).containsExactly("192.0.2.2:6000 hello");
        Await.until("the second datagram counted", () -> stats().get(IpCounter.UDP_NO_LISTENER) == 1);

        introducePeer(); // again: this test's ARP entries live 300 ms, less than a loaded machine takes to get here
        assertThat(host.ip().sendUdp(PEER_IP, 5000, 6000, "back".getBytes(US_ASCII)))
                .isTrue();
        Frame sent = peer.awaitFrame("ipstack's datagram", Frame::isUdp);
        assertThat(sent.bytes())
                .isEqualTo(padded(FrameBuilder.ethernet(PEER, NIC)
                        .ipv4(NIC_IP, PEER_IP)
                        .udp(5000, 6000, "back".getBytes(US_ASCII))));
    }

    @Test
    void aNeighbourWhoseMacChangesGetsTheNextDatagramAtItsNewMac() {
        introducePeer();
        for (int i = 1; i <= 2; i++) { // the second goes by the lock-free path the first one's lookup published
            assertThat(host.ip().sendUdp(PEER_IP, 5000, 6000, pattern(i))).isTrue();
            assertThat(peer.awaitFrame("datagram " + i, Frame::isUdp).destination())
                    .isEqualTo(PEER);
        }
        long moved = Addresses.mac("02:4e:44:00:00:22");
        peer.send(FrameBuilder.ethernet(Addresses.BROADCAST_MAC, moved).arpRequest(PEER_IP, NIC_IP));
        peer.awaitFrame(
                "the ARP reply, to the new MAC", f -> f.isArp() && f.arp().isReply() && f.destination() == moved);

        assertThat(host.ip().sendUdp(PEER_IP, 5000, 6000, pattern(3))).isTrue();
        assertThat(peer.awaitFrame("the datagram after the move", Frame::isUdp).destination())
                .isEqualTo(moved);
        assertThat(host.ip().arpEntries()).containsExactly(new ArpEntry(PEER_IP, moved, ArpEntry.State.REACHABLE, 0));
    }

    @Test
    void aBurstOfDatagramsGoesOutInOrderByteForByte() {
        introducePeer();
        List<byte[]> payloads = List.of(new byte[0], pattern(1), pattern(22), pattern(333), pattern(Udp.MAX_PAYLOAD));
        List<ByteBuf> burst = payloads.stream().map(Unpooled::wrappedBuffer).toList();
        long framesBefore = stats().get(IpCounter.FRAMES_SENT) - arpFramesSent();
        try {
            assertThat(host.ip().sendUdp(PEER_IP, 5000, 6000, burst)).isEqualTo(payloads.size());
        } finally {
            burst.forEach(ByteBuf::release);
        }
        for (byte[] payload : payloads) {
            Frame sent = peer.awaitFrame("datagram of " + payload.length + " bytes", Frame::isUdp);
            assertThat(sent.bytes())
                    .isEqualTo(padded(FrameBuilder.ethernet(PEER, NIC)
                            .ipv4(NIC_IP, PEER_IP)
                            .udp(5000, 6000, payload)));
        }
        assertThat(stats().get(IpCounter.UDP_SENT)).isEqualTo(payloads.size());
        // An ARP of ours may go out meanwhile (the 300 ms entry expiring on a loaded machine): not a datagram.
        assertThat(stats().get(IpCounter.FRAMES_SENT) - arpFramesSent() - framesBefore)
                .isEqualTo(payloads.size());
        Await.until("every send completed", () -> host.ip().sendsOutstanding() == 0);
    }

    @Test
    void aBurstToAnUnresolvedNeighbourWaitsForArpThenGoesOutInOrder() {
        List<ByteBuf> burst = List.of(Unpooled.wrappedBuffer(pattern(10)), Unpooled.wrappedBuffer(pattern(20)));
        try {
            assertThat(host.ip().sendUdp(PEER_IP, 5000, 6000, burst)).isEqualTo(2);
        } finally {
            burst.forEach(ByteBuf::release);
        }
        // For the neighbour: the link-up's gratuitous ARP (a request for NIC_IP) may land here under load.
        Frame request = peer.awaitFrame(
                "one ARP request",
                f -> f.isArp() && f.arp().isRequest() && f.arp().targetIp() != NIC_IP);
        assertThat(request.arp().targetIp()).isEqualTo(PEER_IP);
        peer.send(FrameBuilder.ethernet(NIC, PEER).arpReply(PEER_IP, NIC, NIC_IP));
        assertThat(peer.awaitFrame("the first datagram", Frame::isUdp).bytes())
                .isEqualTo(padded(
                        FrameBuilder.ethernet(PEER, NIC).ipv4(NIC_IP, PEER_IP).udp(5000, 6000, pattern(10))));
        assertThat(peer.awaitFrame("the second datagram", Frame::isUdp).bytes())
                .isEqualTo(padded(
                        FrameBuilder.ethernet(PEER, NIC).ipv4(NIC_IP, PEER_IP).udp(5000, 6000, pattern(20))));
        assertThat(stats().get(IpCounter.ARP_REQUESTS_SENT)).isEqualTo(1);
    }

    @Test
    void aBurstWithAnOversizedPayloadIsRefusedWhole() {
        introducePeer();
        List<ByteBuf> burst =
                List.of(Unpooled.wrappedBuffer(pattern(8)), Unpooled.wrappedBuffer(new byte[Udp.MAX_PAYLOAD + 1]));
        try {
            assertThatThrownBy(() -> host.ip().sendUdp(PEER_IP, 5000, 6000, burst))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(Udp.MAX_PAYLOAD + 1));
        } finally {
            burst.forEach(ByteBuf::release);
        }
        assertThat(stats().get(IpCounter.UDP_SENT)).isZero();
        // The ARP reply introducePeer saw may still be completing; nothing of the refused burst stays out.
        Await.until("no NBL left out", () -> host.ip().sendsOutstanding() == 0);
    }

    @Test
    void badChecksumsFragmentsAndStrangersAreDroppedAndCounted() {
        introducePeer();
        FrameBuilder toUs = FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP);
        byte[] badHeader = toUs.icmpEchoRequest(1, 1, new byte[8]);
        badHeader[14 + 8]--; // TTL changed, header checksum not
        byte[] badIcmp = toUs.icmpEchoRequest(1, 2, new byte[8]);
        badIcmp[badIcmp.length - 1] ^= 1;
        byte[] badUdp = toUs.udp(9, 7, new byte[8]);
        badUdp[badUdp.length - 1] ^= 1;
        // A first fragment (MF set): DF and identification swapped so the header checksum still holds.
        byte[] fragment = FrameBuilder.ethernet(NIC, PEER)
                .ipv4(PEER_IP, NIC_IP)
                .identification(0x2000)
                .icmpEchoRequest(1, 3, new byte[8]);
        fragment[14 + 4] = 0x40;
        fragment[14 + 6] = 0x20;
        assertThat(Frame.parse(fragment).problems()).isEmpty();
        assertThat(Frame.parse(fragment).ipv4().flags() & 1).isEqualTo(1);
        byte[] notForUs = FrameBuilder.ethernet(NIC, PEER)
                .ipv4(PEER_IP, Addresses.ipv4("192.0.2.77"))
                .udp(9, 7, new byte[4]);
        byte[] unknownType = FrameBuilder.ethernet(NIC, PEER).payload(0x88B5, new byte[46]);
        byte[] tagged =
                FrameBuilder.ethernet(NIC, PEER).vlan(5).ipv4(PEER_IP, NIC_IP).udp(9, 7, new byte[4]);

        for (byte[] frame : List.of(badHeader, badIcmp, badUdp, fragment, notForUs, unknownType, tagged)) {
            peer.send(frame);
        }
        Await.until("seven drops", () -> stats().drops() == 7);
        IpStatistics s = stats();
        assertThat(s.get(IpCounter.IP_BAD_CHECKSUM)).isEqualTo(1);
        assertThat(s.get(IpCounter.ICMP_BAD)).isEqualTo(1);
        assertThat(s.get(IpCounter.UDP_BAD)).isEqualTo(1);
        assertThat(s.get(IpCounter.IP_FRAGMENTS)).isEqualTo(1);
        assertThat(s.get(IpCounter.IP_NOT_FOR_US)).isEqualTo(1);
        assertThat(s.get(IpCounter.UNKNOWN_ETHERTYPE)).isEqualTo(1);
        assertThat(s.get(IpCounter.VLAN_TAGGED)).isEqualTo(1);
        assertThat(s.get(IpCounter.ICMP_ECHO_REPLIES_SENT)).isZero();
        assertThat(s.get(IpCounter.UDP_ECHOED)).isZero();
    }

    @Test
    void arpIsRetriedThenTheQueuedPacketIsDroppedAndThePingTimesOut() {
        int silent = Addresses.ipv4("192.0.2.77");
        CompletableFuture<Optional<EchoReply>> ping = host.ping(silent, 1, 1, 8, Duration.ofSeconds(5));

        for (int i = 1; i <= 3; i++) {
            Frame request = peer.awaitFrame(
                    "ARP request " + i, f -> f.isArp() && f.arp().targetIp() == silent);
            assertThat(request.bytes())
                    .isEqualTo(padded(
                            FrameBuilder.ethernet(Addresses.BROADCAST_MAC, NIC).arpRequest(NIC_IP, silent)));
        }
        Await.until("the resolution given up", () -> stats().get(IpCounter.ARP_UNRESOLVED) == 1);
        assertThat(stats().get(IpCounter.ARP_REQUESTS_SENT)).isEqualTo(3);
        assertThat(Await.result("the ping given up", ping)).isEmpty();
        assertThat(host.ip().arpEntries()).isEmpty();
    }

    @Test
    void anExpiredEntryIsStillUsedWhileAUnicastRequestConfirmsIt(Kernel kernel) throws Exception {
        // A host whose entries live 1 s: used between 1 s and 2 s after it was learned, an entry is
        // past its lifetime but not yet forgotten (nobody used it for a lifetime past expiry).
        host.close();
        peer.close();
        start(kernel, CONFIG.withArp(3, Duration.ofMillis(100), SECOND));
        introducePeer();
        long learnedAt = kernel.nanoTime();
        Await.until("the entry's 1 s lifetime over", () -> kernel.nanoTime() - learnedAt > 1_000_000_000L);

        host.ping(PEER_IP, 5, 1, 0, Duration.ofSeconds(5));
        Frame echo = peer.awaitFrame("the echo request, sent to the known MAC at once", Frame::isIcmp);
        assertThat(echo.destination()).isEqualTo(PEER);
        Frame probe = peer.awaitFrame(
                "the unicast ARP request",
                f -> f.isArp() && f.arp().isRequest() && f.arp().targetIp() == PEER_IP);
        assertThat(probe.bytes())
                .isEqualTo(padded(FrameBuilder.ethernet(PEER, NIC).arpRequest(NIC_IP, PEER_IP)));

        // Unanswered, the entry is forgotten after ARP's retries (3 × 100 ms); the next packet asks by broadcast.
        Await.until("the entry forgotten", () -> host.ip().arpEntries().isEmpty());
        host.ping(PEER_IP, 5, 2, 0, Duration.ofSeconds(5));
        Frame broadcast = peer.awaitFrame(
                "a broadcast ARP request",
                f -> f.isArp() && f.isBroadcast() && f.arp().targetIp() != NIC_IP);
        assertThat(broadcast.arp().targetIp()).isEqualTo(PEER_IP);
    }

    @Test
    void theLinkReachesIpstackFromVminisWorkItemThroughTheFilterAndComesBackWithAGratuitousArp() {
        // The announcement of the bind (the link was up) first, so that the one awaited below is the reconnection's.
        peer.awaitFrame(
                "the bind's gratuitous ARP",
                f -> f.isArp() && f.arp().senderIp() == NIC_IP && f.arp().targetIp() == NIC_IP);
        NdisIoWorkItem linkWorkItem = VminiProbe.linkWorkItem(host.adapter());
        assertThat(linkWorkItem.owner()).isSameAs(host.adapter());
        assertThat(linkWorkItem.owner().kind()).isEqualTo(HandleKind.MINIPORT_ADAPTER);
        int filterIndicationsBefore = host.filter().orElseThrow().statusIndications();

        cable.cut();
        Await.until("ipstack's link down", () -> !host.ip().isLinkUp());
        LinkEvent down = host.ip().linkEvents().get(host.ip().linkEvents().size() - 1);
        assertThat(down.connected()).isFalse();
        assertThat(down.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(down.threadKind()).isEqualTo(ThreadKind.WORKER);
        assertThat(down.thread()).contains("CriticalWorkQueue");
        assertThat(host.filter().orElseThrow().statusIndications()).isEqualTo(filterIndicationsBefore + 1);

        // While the link is down ipstack sends nothing: the request is dropped, the ping times out.
        assertThat(Await.result("the ping timed out", host.ping(PEER_IP, 2, 1, 0, Duration.ofMillis(200))))
                .isEmpty();
        assertThat(stats().get(IpCounter.SEND_LINK_DOWN)).isPositive();

        long gratuitousBefore = stats().get(IpCounter.ARP_GRATUITOUS_SENT);
        cable.reconnect();
        Frame announcement = peer.awaitFrame(
                "the gratuitous ARP",
                f -> f.isArp() && f.arp().senderIp() == NIC_IP && f.arp().targetIp() == NIC_IP);
        assertThat(announcement.bytes())
                .isEqualTo(padded(
                        FrameBuilder.ethernet(Addresses.BROADCAST_MAC, NIC).arpRequest(NIC_IP, NIC_IP)));
        assertThat(stats().get(IpCounter.ARP_GRATUITOUS_SENT)).isEqualTo(gratuitousBefore + 1);
        LinkEvent up = host.ip().linkEvents().get(host.ip().linkEvents().size() - 1);
        assertThat(up.connected()).isTrue();
        assertThat(up.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
    }

    @Test
    void thePacketFilterAndMulticastListSetAtBindPendedAndCompleted() {
        // Both went to vmini through NDIS's queue (NDIS_STATUS_PENDING, then ProtocolOidRequestComplete).
        Await.until("the bind's OID requests", () -> stats().get(IpCounter.OIDS_COMPLETED) >= 2);
        assertThat(stats().get(IpCounter.OIDS_PENDED)).isGreaterThanOrEqualTo(2);
        assertThat(stats().get(IpCounter.OIDS_FAILED)).isZero();
        long filteredBefore = host.nic().statistics().get(StatisticsCounter.RX_FILTERED);
        long ipBefore = stats().get(IpCounter.IP_RECEIVED);

        // 224.0.0.1's group is on the list; 224.0.0.251's is not: the NIC filters it.
        peer.send(FrameBuilder.ethernet(Addresses.mac("01:00:5e:00:00:fb"), PEER)
                .ipv4(PEER_IP, Addresses.ipv4("224.0.0.251"))
                .udp(5353, 5353, new byte[4]));
        peer.send(FrameBuilder.ethernet(Addresses.mac("01:00:5e:00:00:01"), PEER)
                .ipv4(PEER_IP, Addresses.ipv4("224.0.0.1"))
                .udp(9, 9, new byte[4]));
        Await.until("the all-hosts datagram", () -> stats().get(IpCounter.IP_RECEIVED) == ipBefore + 1);
        assertThat(host.nic().statistics().get(StatisticsCounter.RX_FILTERED)).isEqualTo(filteredBefore + 1);
    }

    @Test
    void aPendedPacketFilterOidTurnsPromiscuousModeOnAndOff() {
        byte[] stranger = FrameBuilder.ethernet(Addresses.mac("02:00:00:00:00:99"), PEER)
                .ipv4(PEER_IP, Addresses.ipv4("192.0.2.99"))
                .udp(9, 9, new byte[4]);
        CompletableFuture<NdisStatus> on = new CompletableFuture<>();
        assertThat(host.ip().setPromiscuous(true, on::complete)).isTrue();
        assertThat(Await.result("promiscuous on", on)).isEqualTo(NdisStatus.SUCCESS);
        peer.send(stranger);
        Await.until("the stranger's frame", () -> stats().get(IpCounter.OTHER_HOST) == 1);

        CompletableFuture<NdisStatus> off = new CompletableFuture<>();
        assertThat(host.ip().setPromiscuous(false, off::complete)).isTrue();
        assertThat(Await.result("promiscuous off", off)).isEqualTo(NdisStatus.SUCCESS);
        long filtered = host.nic().statistics().get(StatisticsCounter.RX_FILTERED);
        peer.send(stranger);
        Await.until(
                "the NIC filtering it",
                () -> host.nic().statistics().get(StatisticsCounter.RX_FILTERED) == filtered + 1);
        assertThat(stats().get(IpCounter.OTHER_HOST)).isEqualTo(1);
    }

    @Test
    void framesIpstackSendsArePaddedTo60Bytes() {
        introducePeer();
        Frame reply = Frame.parse(peer.received().get(peer.received().size() - 1));
        assertThat(reply.isArp()).isTrue();
        assertThat(reply.length()).isEqualTo(60);
        assertThat(Arrays.copyOfRange(reply.bytes(), 42, 60)).containsOnly(0);
    }

    @Test
    void unbindLeavesNothingOutstanding() {
        introducePeer();
        for (int i = 0; i < 50; i++) {
            host.ip().sendUdp(PEER_IP, 5000, 9, new byte[100]);
        }
        IpInterface ip = host.ip();
        host.removeDevice();
        assertThat(ip.sendsOutstanding()).isZero();
        assertThat(ip.sendUdp(PEER_IP, 5000, 9, new byte[1])).isFalse(); // the binding is gone
        assertThat(ip.ping(PEER_IP, 1, 1, 0, SECOND, null)).isFalse();
    }
}
