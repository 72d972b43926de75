package org.ndis4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The frame builder and parser against frames checked elsewhere: the expected bytes below were
 * built here and read back by tshark 4.0.17 with {@code -o ip.check_checksum:TRUE -o
 * udp.check_checksum:TRUE}, which reported every IPv4, ICMP and UDP checksum "[correct]"; the IPv4
 * header of {@link #WIKIPEDIA_IPV4_HEADER} is the worked example of the IPv4 header checksum
 * article, and {@link #rfc1071Example} the RFC's own.
 */
class FrameTest {

    static final long NIC = Addresses.mac("02:4e:44:00:00:01");
    static final long PEER = Addresses.mac("02:4e:44:00:00:02");
    static final int NIC_IP = Addresses.ipv4("192.0.2.1");
    static final int PEER_IP = Addresses.ipv4("192.0.2.2");
    static final byte[] PING_DATA = "ndis4j ping payload 0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static final String ARP_REQUEST =
            "ffffffffffff024e4400000208060001080006040001024e44000002c0000202000000000000c0000201";
    static final String ICMP_ECHO_REQUEST =
            "024e44000001024e440000020800450000401c46400040019a73c0000202c00002010800c3ec4a4a0001"
                    + "6e646973346a2070696e67207061796c6f61642030313233343536373839616263646566";
    static final String UDP = "024e44000001024e4400000208004500002b000040004011b6bec0000202c00002019c400007001723c3"
            + "68656c6c6f2c20756470206563686f";
    static final String VLAN_UDP =
            "024e44000001024e440000028100a06408004500001f000040004011b6cac0000202c0000201003514e9000b62b4010203";
    static final String WIKIPEDIA_IPV4_HEADER = "450000730000400040" + "11b861c0a80001c0a800c7";

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2; the checksum is its complement.
        byte[] bytes = HexFormat.of().parseHex("0001f203f4f5f6f7");
        assertThat(Checksums.of(bytes, 0, bytes.length)).isEqualTo(~0xddf2 & 0xffff);
    }

    @Test
    void arpRequestIsBuiltAsTsharkReadIt() {
        byte[] frame = FrameBuilder.ethernet(Addresses.BROADCAST_MAC, PEER).arpRequest(PEER_IP, NIC_IP);
        assertThat(HexFormat.of().formatHex(frame)).isEqualTo(ARP_REQUEST);
        Frame parsed = Frame.parse(frame).verify();
        assertThat(parsed.isBroadcast()).isTrue();
        assertThat(parsed.arp()).isEqualTo(new Frame.Arp(Frame.ARP_REQUEST, PEER, PEER_IP, 0, NIC_IP));
        assertThat(parsed)
                .hasToString(
                        "02:4e:44:00:00:02 > ff:ff:ff:ff:ff:ff, 42 bytes, ARP request who-has 192.0.2.1 tell 192.0.2.2");
        Frame reply = Frame.parse(FrameBuilder.ethernet(PEER, NIC).arpReply(NIC_IP, PEER, PEER_IP));
        assertThat(reply.arp().isReply()).isTrue();
        assertThat(reply.arp().senderMac()).isEqualTo(NIC);
        assertThat(reply.arp().targetMac()).isEqualTo(PEER);
    }

    @Test
    void icmpEchoRequestIsBuiltAsTsharkReadIt() {
        byte[] frame = FrameBuilder.ethernet(NIC, PEER)
                .ipv4(PEER_IP, NIC_IP)
                .identification(0x1c46)
                .icmpEchoRequest(0x4a4a, 1, PING_DATA);
        assertThat(HexFormat.of().formatHex(frame)).isEqualTo(ICMP_ECHO_REQUEST);
        Frame parsed = Frame.parse(frame).verify();
        assertThat(parsed.ipv4().headerChecksum()).isEqualTo(0x9a73);
        assertThat(parsed.ipv4().ttl()).isEqualTo(64);
        assertThat(parsed.ipv4().dontFragment()).isTrue();
        assertThat(parsed.icmp().isEchoRequest()).isTrue();
        assertThat(parsed.icmp().checksum()).isEqualTo(0xc3ec);
        assertThat(parsed.icmp().identifier()).isEqualTo(0x4a4a);
        assertThat(parsed.icmp().sequence()).isEqualTo(1);
        assertThat(parsed.icmp().data()).isEqualTo(PING_DATA);
        Frame reply = Frame.parse(
                        FrameBuilder.ethernet(PEER, NIC).ipv4(NIC_IP, PEER_IP).icmpEchoReply(0x4a4a, 1, PING_DATA))
                .verify();
        assertThat(reply.icmp().isEchoReply()).isTrue();
        assertThat(reply.icmp().checksum()).isEqualTo(0xcbec); // tshark: [correct]
    }

    @Test
    void udpIsBuiltAsTsharkReadIt() {
        byte[] frame = FrameBuilder.ethernet(NIC, PEER)
                .ipv4(PEER_IP, NIC_IP)
                .udp(40000, 7, "hello, udp echo".getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(frame)).isEqualTo(UDP);
        Frame parsed = Frame.parse(frame).verify();
        assertThat(parsed.udp().sourcePort()).isEqualTo(40000);
        assertThat(parsed.udp().destinationPort()).isEqualTo(7);
        assertThat(parsed.udp().checksum()).isEqualTo(0x23c3);
        assertThat(new String(parsed.udp().payload(), StandardCharsets.US_ASCII))
                .isEqualTo("hello, udp echo");
        assertThat(parsed)
                .hasToString(
                        "02:4e:44:00:00:02 > 02:4e:44:00:00:01, 57 bytes, IPv4 192.0.2.2 > 192.0.2.1, UDP 40000 > 7");
    }

    @Test
    void aTaggedFrameCarriesItsVlan() {
        byte[] frame = FrameBuilder.ethernet(NIC, PEER)
                .vlan(5, 100)
                .ipv4(PEER_IP, NIC_IP)
                .udp(53, 5353, new byte[] {1, 2, 3});
        assertThat(HexFormat.of().formatHex(frame)).isEqualTo(VLAN_UDP);
        Frame parsed = Frame.parse(frame).verify();
        assertThat(parsed.vlan()).isEqualTo(new Frame.Vlan(5, false, 100));
        assertThat(parsed.etherType()).isEqualTo(Frame.ETHERTYPE_IPV4);
        assertThat(parsed.udp().payload()).containsExactly(1, 2, 3);
    }

    @Test
    void theIpv4HeaderMatchesTheWorkedExample() {
        byte[] frame = FrameBuilder.ethernet(NIC, PEER)
                .ipv4(Addresses.ipv4("192.168.0.1"), Addresses.ipv4("192.168.0.199"))
                .udp(1, 2, new byte[87]);
        assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(frame, 14, 34))).isEqualTo(WIKIPEDIA_IPV4_HEADER);
    }

    @Test
    void aUdpChecksumThatComputesToZeroIsSentAsAllOnes() {
        // RFC 768: a computed checksum of 0 is transmitted as 0xffff (0 means "none"). Find a payload
        // whose checksum computes to 0 and check both sides agree.
        for (int v = 0; v <= 0xffff; v++) {
            byte[] frame = FrameBuilder.ethernet(NIC, PEER)
                    .ipv4(PEER_IP, NIC_IP)
                    .udp(1000, 2000, new byte[] {(byte) (v >>> 8), (byte) v});
            Frame parsed = Frame.parse(frame);
            if (parsed.udp().checksum() == 0xffff) {
                assertThat(parsed.problems()).isEmpty();
                return;
            }
            assertThat(parsed.udp().checksum()).isNotZero();
        }
        throw new AssertionError("no two-byte payload gives a checksum that computes to 0");
    }

    @Test
    void aUdpDatagramWithoutChecksumIsAccepted() {
        byte[] frame = FrameBuilder.ethernet(NIC, PEER).ipv4(PEER_IP, NIC_IP).udp(1, 2, new byte[] {9, 9});
        frame[40] = 0; // the UDP checksum field: "none"
        frame[41] = 0;
        assertThat(Frame.parse(frame).problems()).isEmpty();
    }

    @Test
    void everyBadChecksumIsNamedWithItsCorrectValue() {
        byte[] udp = HexFormat.of().parseHex(UDP);
        udp[udp.length - 1] ^= 1; // a payload bit: the UDP checksum no longer matches
        // Each "should be" is what tshark 4.0.17 computes for the same corrupted bytes.
        assertThat(Frame.parse(udp).problems()).containsExactly("UDP checksum is 0x23c3, should be 0x24c3");

        byte[] ip = HexFormat.of().parseHex(UDP);
        ip[22] = 63; // the TTL: the IPv4 header checksum no longer matches
        assertThat(Frame.parse(ip).problems()).containsExactly("IPv4 header checksum is 0xb6be, should be 0xb7be");

        byte[] icmp = HexFormat.of().parseHex(ICMP_ECHO_REQUEST);
        icmp[41] = 2; // the sequence number
        assertThat(Frame.parse(icmp).problems()).containsExactly("ICMP checksum is 0xc3ec, should be 0xc3eb");
        assertThatThrownBy(() -> Frame.parse(icmp).verify())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("bad frame")
                .hasMessageContaining("ICMP checksum is 0xc3ec, should be 0xc3eb");
    }

    @Test
    void lengthsThatDoNotFitAreProblemsToo() {
        byte[] udp = HexFormat.of().parseHex(UDP);
        byte[] cut = Arrays.copyOf(udp, udp.length - 5);
        assertThat(Frame.parse(cut).problems())
                .containsExactly("IPv4 total length 43 does not fit the 38 bytes after the Ethernet header");
        byte[] badUdpLength = udp.clone();
        badUdpLength[39] = 100; // the UDP length
        assertThat(Frame.parse(badUdpLength).problems())
                .contains("UDP length 100 does not fit the 23 bytes the IPv4 header gives it");
        byte[] arp = Arrays.copyOf(HexFormat.of().parseHex(ARP_REQUEST), 30);
        assertThat(Frame.parse(arp).problems()).containsExactly("ARP packet of 16 bytes, shorter than 28");
        assertThatThrownBy(() -> Frame.parse(new byte[13]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an Ethernet frame: 13 bytes, shorter than its 14-byte header");
    }

    @Test
    void aTestPatternHasTheLengthAskedForAndNumberedBytes() {
        byte[] frame = FrameBuilder.ethernet(NIC, PEER).testPattern(100, 3);
        assertThat(frame).hasSize(100);
        Frame parsed = Frame.parse(frame);
        assertThat(parsed.etherType()).isEqualTo(Frame.ETHERTYPE_EXPERIMENTAL);
        assertThat(parsed.destination()).isEqualTo(NIC);
        assertThat(parsed.source()).isEqualTo(PEER);
        for (int i = 14; i < 100; i++) {
            assertThat(frame[i]).isEqualTo((byte) (3 * 31 + i));
        }
        assertThat(FrameBuilder.ethernet(NIC, PEER).testPattern(100, 4)).isNotEqualTo(frame);
        assertThat(FrameBuilder.ethernet(NIC, PEER).vlan(7).testPattern(60, 0)).hasSize(60);
        assertThatThrownBy(() -> FrameBuilder.ethernet(NIC, PEER).testPattern(13, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipLayersNeedAnIpv4Header() {
        assertThatThrownBy(() -> FrameBuilder.ethernet(NIC, PEER).udp(1, 2, new byte[0]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("UDP needs ipv4(source, destination) first");
        assertThatThrownBy(() -> FrameBuilder.ethernet(NIC, PEER).vlan(8, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameBuilder.ethernet(1L << 48, PEER)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressesReadAndPrint() {
        assertThat(Addresses.mac("02:4E:44:00:0a:01")).isEqualTo(0x024E44000A01L);
        assertThat(Addresses.mac("02-4e-44-00-0a-01")).isEqualTo(0x024E44000A01L);
        assertThat(Addresses.formatMac(0x024E44000A01L)).isEqualTo("02:4e:44:00:0a:01");
        assertThat(Addresses.ipv4("192.0.2.255")).isEqualTo(0xC00002FF);
        assertThat(Addresses.formatIpv4(0xC00002FF)).isEqualTo("192.0.2.255");
        assertThat(Addresses.isGroupMac(Addresses.mac("01:00:5e:00:00:fb"))).isTrue();
        assertThat(Addresses.isGroupMac(NIC)).isFalse();
        assertThatThrownBy(() -> Addresses.ipv4("192.0.2.256"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad octet \"256\" in \"192.0.2.256\"");
        assertThatThrownBy(() -> Addresses.mac("02:4e:44:00:0a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a MAC address: \"02:4e:44:00:0a\"");
    }
}
