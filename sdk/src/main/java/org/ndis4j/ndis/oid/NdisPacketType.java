package org.ndis4j.ndis.oid;

/**
 * NDIS_PACKET_TYPE_* bits (ndis.h), the value of OID_GEN_CURRENT_PACKET_FILTER and of the
 * SupportedPacketFilters general attribute. A ULONG in the information buffer.
 */
public final class NdisPacketType {

    private NdisPacketType() {}

    public static final int NDIS_PACKET_TYPE_DIRECTED = 0x00000001;
    public static final int NDIS_PACKET_TYPE_MULTICAST = 0x00000002;
    public static final int NDIS_PACKET_TYPE_ALL_MULTICAST = 0x00000004;
    public static final int NDIS_PACKET_TYPE_BROADCAST = 0x00000008;
    public static final int NDIS_PACKET_TYPE_SOURCE_ROUTING = 0x00000010;
    public static final int NDIS_PACKET_TYPE_PROMISCUOUS = 0x00000020;
    public static final int NDIS_PACKET_TYPE_SMT = 0x00000040;
    public static final int NDIS_PACKET_TYPE_ALL_LOCAL = 0x00000080;
    public static final int NDIS_PACKET_TYPE_GROUP = 0x00001000;
    public static final int NDIS_PACKET_TYPE_ALL_FUNCTIONAL = 0x00002000;
    public static final int NDIS_PACKET_TYPE_FUNCTIONAL = 0x00004000;
    public static final int NDIS_PACKET_TYPE_MAC_FRAME = 0x00008000;

    /** The filters an Ethernet NIC can offer: directed, multicast, all-multicast, broadcast, promiscuous. */
    public static final int ETHERNET_FILTERS = NDIS_PACKET_TYPE_DIRECTED
            | NDIS_PACKET_TYPE_MULTICAST
            | NDIS_PACKET_TYPE_ALL_MULTICAST
            | NDIS_PACKET_TYPE_BROADCAST
            | NDIS_PACKET_TYPE_PROMISCUOUS;
}
