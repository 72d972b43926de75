package org.ndis4j.tools.pcap;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the Ethernet frames of a capture file one at a time, whichever format it is in: classic
 * pcap or pcapng, told apart by the first four bytes.
 *
 * <pre>
 *   try (CaptureReader reader = CaptureReader.open(Path.of("trace.pcapng"))) {
 *       for (CapturedFrame f; (f = reader.next()) != null; ) { ... }
 *   }
 * </pre>
 *
 * A malformed or unsupported file throws {@link CaptureFormatException} with the byte offset, at
 * {@link #open} (its header) or at the {@link #next} that meets the problem.
 */
public abstract class CaptureReader implements AutoCloseable {

    /** The longest captured frame accepted: libpcap's largest snap length. */
    public static final int MAX_CAPTURED_LENGTH = 262_144;

    static final int LINKTYPE_ETHERNET = 1;

    final FileInput input;
    /** Where the record or block being read starts: the offset of a file that ends inside it. */
    long recordStart;

    private final InputStream stream;

    CaptureReader(InputStream stream) {
        this.stream = stream;
        this.input = new FileInput(stream);
    }

    /** Opens {@code file} and reads its header. */
    public static CaptureReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            return open(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads the header of the capture in {@code in}; the reader closes {@code in}. */
    public static CaptureReader open(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        if (head.length < 4) {
            throw new CaptureFormatException(
                    0, "the file has " + head.length + " bytes: too short for a pcap or pcapng header");
        }
        int magic = ByteBuffer.wrap(head).getInt();
        CaptureReader reader;
        if (PcapNgReader.isSectionHeader(magic)) {
            reader = new PcapNgReader(buffered);
        } else if (ClassicPcapReader.isMagic(magic)) {
            reader = new ClassicPcapReader(buffered);
        } else {
            throw new CaptureFormatException(
                    0,
                    String.format(
                            "magic number 0x%08x is neither pcap (a1b2c3d4, a1b23c4d, either byte order) nor"
                                    + " pcapng (0a0d0d0a)",
                            magic));
        }
        try {
            reader.start();
        } catch (EOFException e) {
            throw new CaptureFormatException(0, "the file ends inside its " + reader.headerName());
        }
        return reader;
    }

    /** Reads the file header. */
    abstract void start() throws IOException;

    /** What {@link #start} reads, for an error message. */
    abstract String headerName();

    /** The next frame, or null at the end of the file. */
    public final CapturedFrame next() throws IOException {
        recordStart = input.offset();
        try {
            return read();
        } catch (EOFException e) {
            throw new CaptureFormatException(recordStart, "the file ends inside the record or block starting here");
        }
    }

    abstract CapturedFrame read() throws IOException;

    /** "pcap" or "pcapng", with the variant: for what a command prints. */
    public abstract String format();

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
