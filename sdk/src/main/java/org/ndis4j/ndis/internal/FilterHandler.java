package org.ndis4j.ndis.internal;

/**
 * The optional handlers of a filter driver. One the filter's class does not override is a NULL
 * entry point: NDIS bypasses the filter for it.
 */
enum FilterHandler {
    STATUS("status", 2),
    OID_REQUEST("oidRequest", 2),
    OID_REQUEST_COMPLETE("oidRequestComplete", 3),
    SEND("sendNetBufferLists", 4),
    SEND_COMPLETE("sendNetBufferListsComplete", 3),
    RECEIVE("receiveNetBufferLists", 5),
    RETURN("returnNetBufferLists", 3);

    final String method;
    final int parameters;

    FilterHandler(String method, int parameters) {
        this.method = method;
        this.parameters = parameters;
    }
}
