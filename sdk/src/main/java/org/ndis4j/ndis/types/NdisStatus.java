package org.ndis4j.ndis.types;

/** NDIS_STATUS values, with their real ndis.h codes. */
public enum NdisStatus {
    SUCCESS(0x00000000),
    PENDING(0x00000103),
    NOT_ACCEPTED(0x00010003),
    /** Indicated by NDIS to the protocols (and filters) when a miniport reset begins. */
    RESET_START(0x40010004),
    /** Indicated by NDIS when the reset ends; the status buffer is the reset's status. */
    RESET_END(0x40010005),
    MEDIA_CONNECT(0x4001000B),
    MEDIA_DISCONNECT(0x4001000C),
    LINK_STATE(0x40010017),
    /** MiniportResetEx: the adapter could not be reset. (Warning severity, as in ndis.h.) */
    NOT_RESETTABLE(0x80010001),
    /** MiniportResetEx: reset, with a recoverable error on the way. */
    SOFT_ERRORS(0x80010003),
    /** MiniportResetEx: the reset failed with an unrecoverable error. */
    HARD_ERRORS(0x80010004),
    FAILURE(0xC0000001),
    INVALID_PARAMETER(0xC000000D),
    RESOURCES(0xC000009A),
    NOT_SUPPORTED(0xC00000BB),
    CLOSING(0xC0010002),
    MULTICAST_FULL(0xC0010009),
    REQUEST_ABORTED(0xC001000C),
    RESET_IN_PROGRESS(0xC001000D),
    ADAPTER_NOT_READY(0xC0010011),
    INVALID_LENGTH(0xC0010014),
    INVALID_DATA(0xC0010015),
    BUFFER_TOO_SHORT(0xC0010016),
    INVALID_OID(0xC0010017),
    ADAPTER_REMOVED(0xC0010018),
    MEDIA_DISCONNECTED(0xC001001F),
    PAUSED(0xC023002A);

    private final int code;

    NdisStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** NT_SUCCESS: the severity bits say success or informational. */
    public boolean isSuccess() {
        return code >= 0;
    }

    public String hex() {
        return String.format("0x%08X", code);
    }

    /** The status with this code, or null if ndis4j does not define it. */
    public static NdisStatus of(int code) {
        for (NdisStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
