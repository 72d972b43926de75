package org.ndis4j.tools.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reader on files built byte by byte: every variant it claims, and each malformation with its offset. */
class CaptureReaderTest {

    enum Order {
        BIG(ByteOrder.BIG_ENDIAN),
        LITTLE(ByteOrder.LITTLE_ENDIAN);

        final ByteOrder order;

        Order(ByteOrder order) {
            this.order = order;
        }
    }

    private static final byte[] A = CaptureBytes.frame(60, 1);
    private static final byte[] B = CaptureBytes.frame(1514, 7);
    private static final byte[] C = CaptureBytes.frame(61, 9); // needs padding in pcapng

    static List<CapturedFrame> readAll(byte[] file) throws IOException {
        List<CapturedFrame> frames = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            for (CapturedFrame f; (f = reader.next()) != null; ) {
                frames.add(f);
            }
        }
        return frames;
    }

    private static void assertMalformed(byte[] file, long offset, String problem) {
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageStartingWith("offset " + offset + ": ")
                .hasMessageContaining(problem)
                .satisfies(
                        e -> assertThat(((CaptureFormatException) e).offset()).isEqualTo(offset));
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void classicPcapWithMicrosecondsInEitherByteOrder(Order o) throws IOException {
        byte[] file = CaptureBytes.pcap(o.order, false, 1)
                .record(1_700_000_000L, 123_456, A)
                .record(1_700_000_001L, 0, B)
                .toByteArray();
        List<CapturedFrame> frames = readAll(file);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).data()).isEqualTo(A);
        assertThat(frames.get(0).offset()).isEqualTo(24);
        assertThat(frames.get(0).epochNanos()).isEqualTo(1_700_000_000_123_456_000L);
        assertThat(frames.get(1).data()).isEqualTo(B);
        assertThat(frames.get(1).offset()).isEqualTo(24 + 16 + 60);
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            assertThat(reader.format()).isEqualTo("pcap (" + o.name().toLowerCase() + "-endian, µs)");
        }
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void classicPcapWithNanosecondsInEitherByteOrder(Order o) throws IOException {
        byte[] file =
                CaptureBytes.pcap(o.order, true, 1).record(2, 999_999_999, C).toByteArray();
        List<CapturedFrame> frames = readAll(file);
        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.data()).isEqualTo(C);
            assertThat(f.epochNanos()).isEqualTo(2_999_999_999L);
        });
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void pcapngWithEnhancedAndSimplePacketsSkipsOtherBlocks(Order o) throws IOException {
        byte[] file = new CaptureBytes(o.order)
                .sectionHeader()
                .otherBlock()
                .interfaceDescription(1, 0, 9) // nanoseconds
                .enhancedPacket(0, 1_700_000_000_000_000_001L, C)
                .otherBlock()
                .simplePacket(A)
                .enhancedPacket(0, 5, B)
                .toByteArray();
        List<CapturedFrame> frames = readAll(file);
        assertThat(frames).extracting(CapturedFrame::data).containsExactly(C, A, B);
        assertThat(frames.get(0).epochNanos()).isEqualTo(1_700_000_000_000_000_001L);
        assertThat(frames.get(0).offset()).isEqualTo(28 + 20 + 32);
        assertThat(frames.get(2).epochNanos()).isEqualTo(5);
    }

    @Test
    void pcapngDefaultsToMicrosecondsAndAcceptsSectionsInBothOrders() throws IOException {
        byte[] big = new CaptureBytes(ByteOrder.BIG_ENDIAN)
                .sectionHeader()
                .interfaceDescription(1, 65535, -1)
                .enhancedPacket(0, 1_000_001, A)
                .toByteArray();
        byte[] little = new CaptureBytes(ByteOrder.LITTLE_ENDIAN)
                .sectionHeader()
                .interfaceDescription(1, 65535, 3) // milliseconds
                .enhancedPacket(0, 1_500, B)
                .toByteArray();
        byte[] file =
                new CaptureBytes(ByteOrder.BIG_ENDIAN).raw(big).raw(little).toByteArray();
        List<CapturedFrame> frames = readAll(file);
        assertThat(frames).extracting(CapturedFrame::epochNanos).containsExactly(1_000_001_000L, 1_500_000_000L);
        assertThat(frames).extracting(CapturedFrame::data).containsExactly(A, B);
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            while (reader.next() != null) {}
            assertThat(reader.format()).isEqualTo("pcapng (sections in both byte orders)");
        }
    }

    @Test
    void aSimplePacketIsCutAtTheInterfacesSnapLength() throws IOException {
        byte[] file = new CaptureBytes(ByteOrder.LITTLE_ENDIAN)
                .sectionHeader()
                .interfaceDescription(1, 64, -1)
                .simplePacket(B)
                .toByteArray();
        CapturedFrame f = readAll(file).get(0);
        assertThat(f.data()).hasSize(64);
        assertThat(f.originalLength()).isEqualTo(1514);
        assertThat(f.isTruncated()).isTrue();
    }

    @Test
    void malformedClassicFilesNameTheOffset() {
        assertMalformed(new byte[] {1, 2}, 0, "too short for a pcap or pcapng header");
        assertMalformed(new byte[] {'G', 'I', 'F', '8', '9', 'a'}, 0, "magic number 0x47494638");
        byte[] header = CaptureBytes.pcap(ByteOrder.BIG_ENDIAN, false, 1).toByteArray();
        assertMalformed(Arrays.copyOf(header, 20), 0, "ends inside its 24-byte pcap header");
        assertMalformed(
                CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, 113).toByteArray(),
                20,
                "link type 113 is not Ethernet");
        assertMalformed(
                CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, 0x1000_0001).toByteArray(), 20, "carry an FCS");
        byte[] cut = CaptureBytes.pcap(ByteOrder.BIG_ENDIAN, false, 1)
                .record(0, 0, A)
                .record(0, 0, B)
                .toByteArray();
        assertMalformed(Arrays.copyOf(cut, cut.length - 1), 24 + 16 + 60, "the file ends inside");
        byte[] huge = CaptureBytes.pcap(ByteOrder.BIG_ENDIAN, true, 1)
                .record(0, 0, A)
                .int32(0)
                .int32(0)
                .int32(300_000)
                .int32(300_000)
                .toByteArray();
        assertMalformed(huge, 24 + 16 + 60, "record length 300000 exceeds 262144");
        byte[] version = CaptureBytes.pcap(ByteOrder.BIG_ENDIAN, false, 1).toByteArray();
        version[5] = 3; // major 3
        assertMalformed(version, 4, "pcap version 3.4 is not 2.x");
    }

    @Test
    void malformedPcapngFilesNameTheOffset() {
        CaptureBytes start = new CaptureBytes(ByteOrder.LITTLE_ENDIAN).sectionHeader();
        byte[] badMagic = start.toByteArray().clone();
        badMagic[8] = 0x11;
        assertMalformed(badMagic, 8, "byte-order magic");
        byte[] noInterface = new CaptureBytes(ByteOrder.LITTLE_ENDIAN)
                .sectionHeader()
                .enhancedPacket(0, 0, A)
                .toByteArray();
        assertMalformed(noInterface, 28, "packet on interface 0, but the section describes 0");
        byte[] linuxCooked = new CaptureBytes(ByteOrder.BIG_ENDIAN)
                .sectionHeader()
                .interfaceDescription(113, 0, -1)
                .enhancedPacket(0, 0, A)
                .toByteArray();
        assertMalformed(linuxCooked, 48, "of link type 113 (described at offset 28); only Ethernet");
        byte[] oddLength = new CaptureBytes(ByteOrder.LITTLE_ENDIAN)
                .sectionHeader()
                .int32(4)
                .int32(21)
                .toByteArray();
        assertMalformed(oddLength, 28, "total length 21");
        byte[] mismatched = new CaptureBytes(ByteOrder.LITTLE_ENDIAN)
                .sectionHeader()
                .int32(4)
                .int32(16)
                .int32(0)
                .int32(20)
                .toByteArray();
        assertMalformed(mismatched, 28, "trailing total length 20 differs from its leading 16");
        byte[] overlong = new CaptureBytes(ByteOrder.LITTLE_ENDIAN)
                .sectionHeader()
                .interfaceDescription(1, 0, -1)
                .int32(6)
                .int32(36)
                .int32(0)
                .int32(0)
                .int32(0)
                .int32(100) // 100 captured bytes in a 36-byte block
                .int32(100)
                .int32(0)
                .int32(36)
                .toByteArray();
        assertMalformed(overlong, 48, "captured length 100 does not fit its block of 36 bytes");
        byte[] cut = new CaptureBytes(ByteOrder.LITTLE_ENDIAN)
                .sectionHeader()
                .interfaceDescription(1, 0, -1)
                .enhancedPacket(0, 0, B)
                .toByteArray();
        assertMalformed(Arrays.copyOf(cut, cut.length - 8), 48, "the file ends inside");
        byte[] resolution = new CaptureBytes(ByteOrder.LITTLE_ENDIAN)
                .sectionHeader()
                .interfaceDescription(1, 0, 19)
                .toByteArray();
        assertMalformed(resolution, 28 + 20 + 4, "timestamp resolution 10^-19");
    }
}
