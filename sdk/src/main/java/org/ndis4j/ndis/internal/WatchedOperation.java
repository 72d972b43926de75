package org.ndis4j.ndis.internal;

/**
 * The operations NDIS's watchdog times: each call NDIS makes into a driver and waits for. The code is
 * parameter 2 of BUGCODE_NDIS_DRIVER (0x7C) with parameter 1 = 0x25 NDIS_BUGCHECK_WATCHDOG. Values
 * below 0x80 are Windows' own (ndis.h, documented with bug check 0x7C); Windows' list does not name
 * the other calls NDIS waits for, so ndis4j numbers them from 0x80 up, grouped as Windows groups its
 * own (protocols 0x8X, filters 0x9X, miniports 0xAX, the driver image 0xBX).
 */
enum WatchedOperation {
    PROTOCOL_UNBIND(0x04, "NDIS_BUGCHECK_WATCHDOG_PROTOCOL_UNBIND", "ProtocolUnbindAdapterEx"),
    FILTER_PAUSE(0x11, "NDIS_BUGCHECK_WATCHDOG_FILTER_PAUSE", "FilterPause"),
    FILTER_DETACH(0x14, "NDIS_BUGCHECK_WATCHDOG_FILTER_DETACH", "FilterDetach"),
    MINIPORT_PAUSE(0x21, "NDIS_BUGCHECK_WATCHDOG_MINIPORT_PAUSE", "MiniportPause"),
    MINIPORT_HALT(0x22, "NDIS_BUGCHECK_WATCHDOG_MINIPORT_HALT", "MiniportHaltEx"),
    MINIPORT_OID(0x23, "NDIS_BUGCHECK_WATCHDOG_MINIPORT_OID", "MiniportOidRequest"),
    PROTOCOL_BIND(0x81, "ndis4j: protocol bind", "ProtocolBindAdapterEx"),
    FILTER_ATTACH(0x91, "ndis4j: filter attach", "FilterAttach"),
    FILTER_RESTART(0x92, "ndis4j: filter restart", "FilterRestart"),
    MINIPORT_INITIALIZE(0xA1, "ndis4j: miniport initialize", "MiniportInitializeEx"),
    MINIPORT_RESTART(0xA2, "ndis4j: miniport restart", "MiniportRestart"),
    MINIPORT_RESET(0xA3, "ndis4j: miniport reset", "MiniportResetEx"),
    MINIPORT_CHECK_FOR_HANG(0xA4, "ndis4j: miniport check for hang", "MiniportCheckForHangEx"),
    MINIPORT_SHUTDOWN(0xA5, "ndis4j: miniport shutdown", "MiniportShutdownEx"),
    MINIPORT_DEVICE_PNP_EVENT(0xA6, "ndis4j: miniport device PnP event", "MiniportDevicePnPEventNotify"),
    DRIVER_ENTRY(0xB1, "ndis4j: driver entry", "DriverEntry"),
    DRIVER_UNLOAD(0xB2, "ndis4j: driver unload", "the driver's unload routine");

    private final int code;
    private final String symbol;
    private final String handler;

    WatchedOperation(int code, String symbol, String handler) {
        this.code = code;
        this.symbol = symbol;
        this.handler = handler;
    }

    /** Bug check 0x7C parameter 2. */
    int code() {
        return code;
    }

    /** Windows' name for the code (ndis.h), or ndis4j's description of its own. */
    String symbol() {
        return symbol;
    }

    /** The driver's handler NDIS called. */
    String handler() {
        return handler;
    }
}
