package org.ndis4j.tools.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the capture reader: any bytes as a file. The reader either reads
 * frames to the end or refuses with a {@link CaptureFormatException} whose offset lies inside the
 * file; nothing else escapes (no runtime exception, no out-of-memory: every frame is within
 * {@link CaptureReader#MAX_CAPTURED_LENGTH} and the bytes it returns are bytes the file holds).
 * Regression inputs (real pcap and pcapng files as seeds, and findings) live in
 * {@code src/test/resources/org/ndis4j/tools/pcap/CaptureReaderFuzzTestInputs/}.
 */
class CaptureReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void readsOrRefusesWithAnOffset(byte[] file) {
        long frames = 0;
        long bytes = 0;
        long lastOffset = -1;
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            assertThat(reader.format()).startsWith("pcap");
            for (CapturedFrame f; (f = reader.next()) != null; ) {
                assertThat(f.data().length).isLessThanOrEqualTo(CaptureReader.MAX_CAPTURED_LENGTH);
                assertThat(f.offset()).isGreaterThan(lastOffset).isLessThan(file.length);
                assertThat(f.originalLength()).isGreaterThanOrEqualTo(0);
                lastOffset = f.offset();
                frames++;
                bytes += f.data().length;
            }
        } catch (CaptureFormatException e) {
            assertThat(e.offset()).as(e.getMessage()).isBetween(0L, (long) file.length);
            assertThat(e.getMessage()).startsWith("offset " + e.offset() + ": ");
        } catch (IOException e) {
            throw new AssertionError("only CaptureFormatException may come from bytes in memory", e);
        }
        assertThat(bytes + 16 * frames)
                .as("frames and their headers fit in the file")
                .isLessThanOrEqualTo(file.length);
    }
}
