package org.ndis4j.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The regular files of a tar stream (what Docker's archive endpoint sends for a path in a
 * container), by their names in the archive. Enough of POSIX ustar for Docker's archives: 512-byte
 * headers, octal sizes, GNU long names ({@code L} entries); everything but regular files is skipped.
 */
final class TarFiles {

    private static final int BLOCK = 512;

    /** A crash report is a few kilobytes; a bigger file is not one. */
    static final long MAX_FILE_BYTES = 16L << 20;

    private TarFiles() {}

    static Map<String, byte[]> read(InputStream tar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String longName = null;
        byte[] header = new byte[BLOCK];
        while (readFully(tar, header)) {
            if (isZero(header)) {
                break; // the end-of-archive blocks
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(text(header, 124, 12).isEmpty() ? "0" : text(header, 124, 12), 8);
            if (size < 0 || size > MAX_FILE_BYTES) {
                throw new IOException("tar entry " + name + " of " + size + " bytes");
            }
            byte type = header[156];
            byte[] content = tar.readNBytes((int) size);
            if (content.length != size) {
                throw new IOException("tar entry " + name + " ends after " + content.length + " of " + size + " bytes");
            }
            tar.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
            if (type == 'L') {
                longName = text(content, 0, content.length);
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            if (type == '0' || type == 0) {
                files.put(name, content);
            }
        }
        return files;
    }

    private static boolean readFully(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, block.length);
        if (n == 0) {
            return false;
        }
        if (n != block.length) {
            throw new IOException("tar stream ends inside a header");
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** A NUL-terminated (or full) field, trimmed. */
    private static String text(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8).trim();
    }
}
