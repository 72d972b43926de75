package org.ndis4j.ndis.oid;

/** NDIS_REQUEST_TYPE, with the ntddndis.h values. An NDIS 6 miniport sees Query, Set and Method. */
public enum NdisRequestType {
    NdisRequestQueryInformation(0),
    NdisRequestSetInformation(1),
    NdisRequestQueryStatistics(2),
    NdisRequestMethod(12);

    private final int value;

    NdisRequestType(int value) {
        this.value = value;
    }

    /** The NDIS_REQUEST_TYPE value. */
    public int value() {
        return value;
    }

    /** Query or QueryStatistics: the information buffer is output (BytesWritten / BytesNeeded). */
    public boolean isQuery() {
        return this == NdisRequestQueryInformation || this == NdisRequestQueryStatistics;
    }
}
