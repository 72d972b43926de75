package org.ndis4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's capture file: replaces its own earlier capture, never follows a symlink, never overwrites another file. */
class CaptureFileTest {

    /** A pcap global header (ns magic, 2.4, snaplen 65535, Ethernet) and one 60-byte frame. */
    static byte[] pcapWithOneFrame() {
        byte[] bytes = new byte[24 + 16 + 60];
        byte[] header = {
            (byte) 0xa1,
            (byte) 0xb2,
            0x3c,
            0x4d,
            0,
            2,
            0,
            4,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            (byte) 0xff,
            (byte) 0xff,
            0,
            0,
            0,
            1
        };
        System.arraycopy(header, 0, bytes, 0, 24);
        bytes[24 + 11] = 60; // incl_len, big-endian as the magic says
        bytes[24 + 15] = 60;
        return bytes;
    }

    @Test
    void aNewCaptureIsRenamedIntoPlace(@TempDir Path dir) throws IOException {
        CaptureFile file = CaptureFile.prepare(dir.resolve("demo.pcap"));
        assertThat(file.temporary()).doesNotExist();
        assertThat(file.temporary().getParent()).isEqualTo(dir.toAbsolutePath());
        Files.write(file.temporary(), pcapWithOneFrame());
        file.commit();
        assertThat(dir.resolve("demo.pcap")).hasBinaryContent(pcapWithOneFrame());
        assertThat(file.temporary()).doesNotExist();
        assertThat(CaptureFile.countFrames(dir.resolve("demo.pcap"))).isEqualTo(1);
    }

    @Test
    void anEarlierCaptureIsReplaced(@TempDir Path dir) throws IOException {
        Path target = Files.write(
                dir.resolve("demo.pcap"), new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0});
        CaptureFile file = CaptureFile.prepare(target);
        Files.write(file.temporary(), pcapWithOneFrame());
        file.commit();
        assertThat(target).hasBinaryContent(pcapWithOneFrame());
    }

    @Test
    void aSymlinkIsNeverFollowedNorReplaced(@TempDir Path dir) throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("demo.pcap"), victim);
        assertThatThrownBy(() -> CaptureFile.prepare(link))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is a symbolic link");
        assertThat(victim).hasContent("keep me");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aSymlinkAppearingDuringTheRunIsNotReplacedEither(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("demo.pcap");
        CaptureFile file = CaptureFile.prepare(target);
        Files.write(file.temporary(), pcapWithOneFrame());
        Path victim = Files.writeString(dir.resolve("victim"), "keep me");
        Files.createSymbolicLink(target, victim);
        assertThatThrownBy(file::commit).isInstanceOf(IOException.class);
        file.discard();
        assertThat(victim).hasContent("keep me");
        assertThat(file.temporary()).doesNotExist();
    }

    @Test
    void anotherFileIsNotOverwritten(@TempDir Path dir) throws IOException {
        Path other = Files.writeString(dir.resolve("notes.txt"), "my notes");
        assertThatThrownBy(() -> CaptureFile.prepare(other))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not a pcap capture");
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        assertThatThrownBy(() -> CaptureFile.prepare(directory)).hasMessageContaining("not a regular file");
        assertThat(other).hasContent("my notes");
    }
}
