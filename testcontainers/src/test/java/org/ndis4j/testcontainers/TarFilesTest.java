package org.ndis4j.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The tar reader that takes crash reports out of a container, against archives written by
 * commons-compress (what docker-java and Testcontainers use): directories skipped, sizes on block
 * boundaries and off them, GNU long names, and a truncated archive refused.
 */
class TarFilesTest {

    private static byte[] tar(Object... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            for (int i = 0; i < entries.length; i += 2) {
                String name = (String) entries[i];
                byte[] content = (byte[]) entries[i + 1];
                TarArchiveEntry entry = new TarArchiveEntry(name);
                if (content != null) {
                    entry.setSize(content.length);
                }
                out.putArchiveEntry(entry);
                if (content != null) {
                    out.write(content);
                }
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void regularFilesByNameDirectoriesSkipped() throws IOException {
        byte[] report = "{\"bugCheck\": {\"code\": 196}}\n".getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[512];
        Arrays.fill(block, (byte) 'x');
        byte[] archive = tar("crash/", null, "crash/ndis4j-crash-1.json", report, "crash/block", block);

        Map<String, byte[]> files = TarFiles.read(new ByteArrayInputStream(archive));

        assertThat(files).containsOnlyKeys("crash/ndis4j-crash-1.json", "crash/block");
        assertThat(files.get("crash/ndis4j-crash-1.json")).isEqualTo(report);
        assertThat(files.get("crash/block")).isEqualTo(block);
    }

    @Test
    void aLongNameIsReadWhole() throws IOException {
        String name = "crash/" + "d".repeat(150) + "/ndis4j-crash-20261201T060000Z-1-1.json";
        byte[] archive = tar(name, new byte[] {1, 2, 3});

        assertThat(TarFiles.read(new ByteArrayInputStream(archive))).containsOnlyKeys(name);
    }

    @Test
    void aTruncatedArchiveIsRefused() throws IOException {
        byte[] archive = tar("crash/report.json", new byte[2000]);
        byte[] cut = Arrays.copyOf(archive, 512 + 1000);

        assertThatThrownBy(() -> TarFiles.read(new ByteArrayInputStream(cut)))
                .isInstanceOf(IOException.class)
                .hasMessage("tar entry crash/report.json ends after 1000 of 2000 bytes");
    }
}
