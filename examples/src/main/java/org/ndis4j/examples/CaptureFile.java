package org.ndis4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the demo writes its pcap: it replaces its own earlier capture but never follows a symlink
 * and never overwrites a file that is not a pcap. The switch writes to a new file beside the target
 * (a name nobody uses), which is renamed over the target at the end: a rename replaces a directory
 * entry, it does not write through it.
 *
 * <pre>
 *   CaptureFile file = CaptureFile.prepare(Path.of("demo.pcap"));   // refuses a symlink or another file
 *   ... the switch captures to file.temporary() ...
 *   file.commit();                                                    // or file.discard() on failure
 * </pre>
 */
public final class CaptureFile {

    private final Path target;
    private final Path temporary;

    private CaptureFile(Path target, Path temporary) {
        this.target = target;
        this.temporary = temporary;
    }

    /**
     * Checks {@code target} and picks the temporary file beside it. Throws {@link IOException} with
     * one line saying why when the target is a symlink, a directory or another file that is not a
     * pcap capture.
     */
    public static CaptureFile prepare(Path target) throws IOException {
        check(target);
        Path dir = target.toAbsolutePath().getParent();
        Path temporary = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        return new CaptureFile(target, temporary);
    }

    private static void check(Path target) throws IOException {
        if (Files.isSymbolicLink(target)) {
            throw new IOException(
                    target + " is a symbolic link; the demo does not follow it (remove it or pick --pcap)");
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + " exists and is not a regular file; not replacing it");
        }
        if (!isPcap(target)) {
            throw new IOException(target + " exists and is not a pcap capture; not replacing it (pick another --pcap)");
        }
    }

    /** True when the file starts with a classic pcap magic number (either byte order, µs or ns). */
    static boolean isPcap(Path file) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            if (in.readNBytes(head, 0, 4) < 4) {
                return Files.size(file) == 0; // an empty file left by an interrupted run
            }
        }
        int magic = ByteBuffer.wrap(head).getInt();
        return magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
    }

    /** Frames in a classic pcap file: its records, each a 16-byte header and incl_len bytes. */
    static long countFrames(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 24) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt(0);
        if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        }
        long frames = 0;
        for (int at = 24; at + 16 <= bytes.length; frames++) {
            at += 16 + b.getInt(at + 8);
        }
        return frames;
    }

    /** Where the switch writes (a file that does not exist yet). */
    public Path temporary() {
        return temporary;
    }

    public Path target() {
        return target;
    }

    /** Renames the capture over the target (checked again: it may have changed meanwhile). */
    public void commit() throws IOException {
        check(target);
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes the temporary file, if it was made. */
    public void discard() {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // Nothing more to do: it is a dot-file beside the target.
        }
    }
}
