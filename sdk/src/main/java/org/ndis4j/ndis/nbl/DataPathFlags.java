package org.ndis4j.ndis.nbl;

/** The flag words of the data path, with their ndis.h values. */
public final class DataPathFlags {

    /** NDIS_DEFAULT_PORT_NUMBER. */
    public static final int NDIS_DEFAULT_PORT_NUMBER = 0;

    /** SendFlags of MiniportSendNetBufferLists: the caller runs at DISPATCH_LEVEL. */
    public static final int NDIS_SEND_FLAGS_DISPATCH_LEVEL = 0x00000001;
    /** SendFlags: NDIS should check for loopback. */
    public static final int NDIS_SEND_FLAGS_CHECK_FOR_LOOPBACK = 0x00000002;

    /** SendCompleteFlags of NdisMSendNetBufferListsComplete: the caller runs at DISPATCH_LEVEL. */
    public static final int NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL = 0x00000001;

    /** ReceiveFlags of NdisMIndicateReceiveNetBufferLists: the caller runs at DISPATCH_LEVEL. */
    public static final int NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL = 0x00000001;
    /**
     * ReceiveFlags: the miniport is low on resources and owns the NBLs again as soon as the
     * indication returns; they do not come back through MiniportReturnNetBufferLists.
     */
    public static final int NDIS_RECEIVE_FLAGS_RESOURCES = 0x00000002;
    /** ReceiveFlags: every NBL in the chain has the same EtherType. */
    public static final int NDIS_RECEIVE_FLAGS_SINGLE_ETHER_TYPE = 0x00000100;

    /** ReturnFlags of MiniportReturnNetBufferLists: the caller runs at DISPATCH_LEVEL. */
    public static final int NDIS_RETURN_FLAGS_DISPATCH_LEVEL = 0x00000001;

    private DataPathFlags() {}
}
