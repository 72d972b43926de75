package org.ndis4j.ndis.oid;

import java.util.Arrays;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * NDIS_OID_REQUEST: one Query, Set or Method request for one OID, with its information buffer and the
 * results the answering driver writes back (BytesWritten, BytesRead, BytesNeeded).
 *
 * <p><b>The information buffer is bytes</b>, as in C: a {@code byte[]} of which the first
 * {@link #informationBufferLength()} bytes are the InformationBuffer (a Method request has an
 * InputBufferLength and an OutputBufferLength over the same buffer). Values are little-endian and
 * structures keep their Windows x64 layout, so a miniport writes what it would write in C and a test
 * can compare bytes. The payload classes of this package ({@link NdisStatisticsInfo},
 * {@link NdisLinkStatePayload}, …) encode and decode the common structures; the helpers below do what
 * netvmini's ctrlpath.c does by hand:
 *
 * <pre>
 *   case OID_GEN_MAXIMUM_TOTAL_SIZE:                    // query: copy, or BUFFER_TOO_SHORT + BytesNeeded
 *       return request.writeUlong(1514);
 *   case OID_GEN_CURRENT_PACKET_FILTER:                  // set: check the length, read, say BytesRead
 *       if (request.informationBufferLength() &lt; 4) return request.tooShort(4);
 *       int filter = request.readUlong(0);
 *       request.setBytesRead(4);
 * </pre>
 *
 * <p>The issuer owns the object until NDIS completes it; issuing it again while it pends is a
 * violation (rule NdisOidDoubleRequest). The driver answering it may write the result fields and the
 * buffer until it completes the request.
 */
public final class NdisOidRequest {

    /** NDIS_DEFAULT_PORT_NUMBER. */
    public static final int NDIS_DEFAULT_PORT_NUMBER = 0;

    private final NdisRequestType requestType;
    private final int oid;
    private final byte[] informationBuffer;
    /** Query/Set: InformationBufferLength. Method: the buffer's capacity, max(input, output). */
    private final int informationBufferLength;

    private final int inputBufferLength;
    private final int outputBufferLength;
    private final int methodId;

    private volatile int portNumber = NDIS_DEFAULT_PORT_NUMBER;
    private volatile int timeout;
    private volatile Object requestId;
    private volatile NdisHandle requestHandle;
    private volatile int bytesWritten;
    private volatile int bytesRead;
    private volatile int bytesNeeded;

    private NdisOidRequest(
            NdisRequestType requestType,
            int oid,
            byte[] buffer,
            int informationBufferLength,
            int inputBufferLength,
            int outputBufferLength,
            int methodId) {
        if (requestType == null) {
            throw new IllegalArgumentException("a request needs a RequestType");
        }
        if (buffer == null) {
            throw new IllegalArgumentException("InformationBuffer is null; use a 0-byte buffer for a size probe");
        }
        if (informationBufferLength < 0 || informationBufferLength > buffer.length) {
            throw new IllegalArgumentException("InformationBufferLength " + informationBufferLength
                    + " does not fit a buffer of " + buffer.length + " bytes");
        }
        this.requestType = requestType;
        this.oid = oid;
        this.informationBuffer = buffer;
        this.informationBufferLength = informationBufferLength;
        this.inputBufferLength = inputBufferLength;
        this.outputBufferLength = outputBufferLength;
        this.methodId = methodId;
    }

    /** A query with a fresh, zeroed buffer of {@code informationBufferLength} bytes (0: ask for BytesNeeded). */
    public static NdisOidRequest query(int oid, int informationBufferLength) {
        if (informationBufferLength < 0) {
            throw new IllegalArgumentException("InformationBufferLength " + informationBufferLength + " < 0");
        }
        return query(oid, new byte[informationBufferLength], informationBufferLength);
    }

    /** A query into the first {@code informationBufferLength} bytes of {@code buffer}. */
    public static NdisOidRequest query(int oid, byte[] buffer, int informationBufferLength) {
        return new NdisOidRequest(
                NdisRequestType.NdisRequestQueryInformation, oid, buffer, informationBufferLength, 0, 0, 0);
    }

    /** A set whose InformationBuffer is all of {@code data} (shared, not copied, as in C). */
    public static NdisOidRequest set(int oid, byte[] data) {
        return set(oid, data, data == null ? 0 : data.length);
    }

    /** A set whose InformationBuffer is the first {@code informationBufferLength} bytes of {@code buffer}. */
    public static NdisOidRequest set(int oid, byte[] buffer, int informationBufferLength) {
        return new NdisOidRequest(
                NdisRequestType.NdisRequestSetInformation, oid, buffer, informationBufferLength, 0, 0, 0);
    }

    /** A set of one ULONG (packet filter, lookahead, …). */
    public static NdisOidRequest setUlong(int oid, int value) {
        byte[] b = new byte[4];
        LittleEndian.putInt(b, 0, value);
        return set(oid, b);
    }

    /**
     * A method request: the driver reads {@code inputBufferLength} bytes from {@code buffer} and writes up
     * to {@code outputBufferLength} bytes back into it.
     */
    public static NdisOidRequest method(
            int oid, int methodId, byte[] buffer, int inputBufferLength, int outputBufferLength) {
        if (buffer == null
                || inputBufferLength < 0
                || outputBufferLength < 0
                || inputBufferLength > buffer.length
                || outputBufferLength > buffer.length) {
            throw new IllegalArgumentException(
                    "method buffer of " + (buffer == null ? "null" : buffer.length + " bytes") + " cannot hold input "
                            + inputBufferLength + " / output " + outputBufferLength);
        }
        return new NdisOidRequest(
                NdisRequestType.NdisRequestMethod,
                oid,
                buffer,
                Math.max(inputBufferLength, outputBufferLength),
                inputBufferLength,
                outputBufferLength,
                methodId);
    }

    // ---- the request --------------------------------------------------------------------------

    public NdisRequestType requestType() {
        return requestType;
    }

    /** DATA.*.Oid. */
    public int oid() {
        return oid;
    }

    /** NDIS_PORT_NUMBER; {@link #NDIS_DEFAULT_PORT_NUMBER} unless the issuer says otherwise. */
    public int portNumber() {
        return portNumber;
    }

    public NdisOidRequest setPortNumber(int portNumber) {
        if (portNumber < 0) {
            throw new IllegalArgumentException("PortNumber " + portNumber + " < 0");
        }
        this.portNumber = portNumber;
        return this;
    }

    /** Timeout in seconds the issuer gives the request (0: none); informational in ndis4j. */
    public int timeout() {
        return timeout;
    }

    public NdisOidRequest setTimeout(int seconds) {
        this.timeout = seconds;
        return this;
    }

    /** RequestId: what the issuer names the request by when it cancels it (NdisCancelOidRequest). */
    public Object requestId() {
        return requestId;
    }

    public NdisOidRequest setRequestId(Object requestId) {
        this.requestId = requestId;
        return this;
    }

    /** RequestHandle: the issuer's handle (a filter module sets its own); null for NDIS's own requests. */
    public NdisHandle requestHandle() {
        return requestHandle;
    }

    public NdisOidRequest setRequestHandle(NdisHandle requestHandle) {
        this.requestHandle = requestHandle;
        return this;
    }

    /** The InformationBuffer itself (not a copy): the first {@link #informationBufferLength()} bytes count. */
    public byte[] informationBuffer() {
        return informationBuffer;
    }

    /** InformationBufferLength (Query/Set); for a Method request, max(InputBufferLength, OutputBufferLength). */
    public int informationBufferLength() {
        return informationBufferLength;
    }

    /** Method: InputBufferLength; Set: InformationBufferLength; Query: 0. */
    public int inputBufferLength() {
        return switch (requestType) {
            case NdisRequestMethod -> inputBufferLength;
            case NdisRequestSetInformation -> informationBufferLength;
            default -> 0;
        };
    }

    /** Method: OutputBufferLength; Query: InformationBufferLength; Set: 0. */
    public int outputBufferLength() {
        return switch (requestType) {
            case NdisRequestMethod -> outputBufferLength;
            case NdisRequestQueryInformation, NdisRequestQueryStatistics -> informationBufferLength;
            default -> 0;
        };
    }

    /** METHOD_INFORMATION.MethodId (0 for Query and Set). */
    public int methodId() {
        return methodId;
    }

    // ---- results, written by the driver that answers -----------------------------------------

    public int bytesWritten() {
        return bytesWritten;
    }

    public void setBytesWritten(int bytesWritten) {
        this.bytesWritten = bytesWritten;
    }

    public int bytesRead() {
        return bytesRead;
    }

    public void setBytesRead(int bytesRead) {
        this.bytesRead = bytesRead;
    }

    public int bytesNeeded() {
        return bytesNeeded;
    }

    public void setBytesNeeded(int bytesNeeded) {
        this.bytesNeeded = bytesNeeded;
    }

    /**
     * Answers a query (or the output of a method) with {@code data}: copies it to the buffer and sets
     * BytesWritten, or, when the output room is smaller, sets BytesNeeded and returns
     * NDIS_STATUS_BUFFER_TOO_SHORT without writing anything.
     */
    public NdisStatus writeInformation(byte[] data) {
        int room = outputBufferLength();
        if (data.length > room) {
            bytesWritten = 0;
            bytesNeeded = data.length;
            return NdisStatus.BUFFER_TOO_SHORT;
        }
        System.arraycopy(data, 0, informationBuffer, 0, data.length);
        bytesWritten = data.length;
        bytesNeeded = 0;
        return NdisStatus.SUCCESS;
    }

    /** {@link #writeInformation} of one little-endian ULONG. */
    public NdisStatus writeUlong(int value) {
        byte[] b = new byte[4];
        LittleEndian.putInt(b, 0, value);
        return writeInformation(b);
    }

    /** {@link #writeInformation} of one little-endian ULONG64. */
    public NdisStatus writeUlong64(long value) {
        byte[] b = new byte[8];
        LittleEndian.putLong(b, 0, value);
        return writeInformation(b);
    }

    /**
     * The buffer is shorter than the OID needs: sets BytesNeeded and returns the status NDIS expects —
     * NDIS_STATUS_BUFFER_TOO_SHORT for a query, NDIS_STATUS_INVALID_LENGTH for a set or method input.
     */
    public NdisStatus tooShort(int needed) {
        bytesNeeded = needed;
        return requestType.isQuery() ? NdisStatus.BUFFER_TOO_SHORT : NdisStatus.INVALID_LENGTH;
    }

    /** Reads a little-endian ULONG of the input at {@code offset}; throws past the input length. */
    public int readUlong(int offset) {
        checkInput(offset, 4);
        return LittleEndian.getInt(informationBuffer, offset);
    }

    /** Reads a little-endian ULONG64 of the input at {@code offset}; throws past the input length. */
    public long readUlong64(int offset) {
        checkInput(offset, 8);
        return LittleEndian.getLong(informationBuffer, offset);
    }

    /** A copy of the input bytes (Set: InformationBufferLength; Method: InputBufferLength). */
    public byte[] readInformation() {
        return Arrays.copyOf(informationBuffer, inputBufferLength());
    }

    private void checkInput(int offset, int length) {
        if (offset < 0 || offset + length > inputBufferLength()) {
            throw new IndexOutOfBoundsException("read of " + length + " bytes at " + offset + " past the "
                    + inputBufferLength() + "-byte input of " + this);
        }
    }

    // ---- for the issuer, after completion -----------------------------------------------------

    /** A copy of the BytesWritten bytes the answering driver wrote. */
    public byte[] result() {
        return Arrays.copyOf(informationBuffer, Math.min(bytesWritten, informationBuffer.length));
    }

    /** The first result ULONG (little-endian). */
    public int resultUlong() {
        if (bytesWritten < 4) {
            throw new IllegalStateException(this + " wrote " + bytesWritten + " bytes, not a ULONG");
        }
        return LittleEndian.getInt(informationBuffer, 0);
    }

    @Override
    public String toString() {
        return requestType + " " + Oid.name(oid) + " (" + informationBufferLength + " bytes"
                + (requestId != null ? ", id " + requestId : "") + ")";
    }
}
