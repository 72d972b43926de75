package org.ndis4j.tools.pcap;

import java.io.IOException;

/**
 * A capture file that is malformed or uses what is not supported; the message starts with the byte
 * offset of the problem: {@code offset 40: record length 300000 exceeds 262144}.
 */
public final class CaptureFormatException extends IOException {

    private final long offset;

    CaptureFormatException(long offset, String problem) {
        super("offset " + offset + ": " + problem);
        this.offset = offset;
    }

    /** Where in the file the problem is (from its first byte, 0). */
    public long offset() {
        return offset;
    }
}
