package org.ndis4j.ndis.types;

/** A PnP operation failed with an NDIS status the driver returned (not a rule violation). */
public final class NdisException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final NdisStatus status;

    public NdisException(NdisStatus status, String message) {
        super(message + ": " + status + " (" + status.hex() + ")");
        this.status = status;
    }

    public NdisStatus status() {
        return status;
    }
}
