package org.ndis4j.ndis.oid;

/** NDIS_MAC_OPTION_* bits (ndis.h): the MacOptions general attribute, answered for OID_GEN_MAC_OPTIONS. */
public final class NdisMacOption {

    private NdisMacOption() {}

    public static final int NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA = 0x00000001;
    public static final int NDIS_MAC_OPTION_RECEIVE_SERIALIZED = 0x00000002;
    public static final int NDIS_MAC_OPTION_TRANSFERS_NOT_PEND = 0x00000004;
    public static final int NDIS_MAC_OPTION_NO_LOOPBACK = 0x00000008;
    public static final int NDIS_MAC_OPTION_FULL_DUPLEX = 0x00000010;
    public static final int NDIS_MAC_OPTION_EOTX_INDICATION = 0x00000020;
    public static final int NDIS_MAC_OPTION_8021P_PRIORITY = 0x00000040;
    public static final int NDIS_MAC_OPTION_SUPPORTS_MAC_ADDRESS_OVERWRITE = 0x00000080;
    public static final int NDIS_MAC_OPTION_RECEIVE_AT_DPC = 0x00000100;
    public static final int NDIS_MAC_OPTION_8021Q_VLAN = 0x00000200;
    public static final int NDIS_MAC_OPTION_RESERVED = 0x80000000;

    /**
     * What {@code MiniportAdapterGeneralAttributes} assumes when a miniport does not say: copy-lookahead,
     * transfers-not-pend, no-loopback (the WDK asks every NIC without hardware loopback to set it), as
     * netvmini sets them.
     */
    public static final int DEFAULT =
            NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA | NDIS_MAC_OPTION_TRANSFERS_NOT_PEND | NDIS_MAC_OPTION_NO_LOOPBACK;
}
