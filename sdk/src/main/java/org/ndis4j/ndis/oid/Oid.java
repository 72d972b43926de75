package org.ndis4j.ndis.oid;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * NDIS_OID values, exactly as ntddndis.h defines them (checked against the Windows 7 SDK header).
 * {@code import static Oid.*} gives a miniport the C names. Which of them NDIS
 * answers itself and which reach MiniportOidRequest is in docs/oids.md.
 */
public final class Oid {

    private Oid() {}

    // ---- general operational (required) ----------------------------------------------------
    public static final int OID_GEN_SUPPORTED_LIST = 0x00010101;
    public static final int OID_GEN_HARDWARE_STATUS = 0x00010102;
    public static final int OID_GEN_MEDIA_SUPPORTED = 0x00010103;
    public static final int OID_GEN_MEDIA_IN_USE = 0x00010104;
    public static final int OID_GEN_MAXIMUM_LOOKAHEAD = 0x00010105;
    public static final int OID_GEN_MAXIMUM_FRAME_SIZE = 0x00010106;
    public static final int OID_GEN_LINK_SPEED = 0x00010107;
    public static final int OID_GEN_TRANSMIT_BUFFER_SPACE = 0x00010108;
    public static final int OID_GEN_RECEIVE_BUFFER_SPACE = 0x00010109;
    public static final int OID_GEN_TRANSMIT_BLOCK_SIZE = 0x0001010A;
    public static final int OID_GEN_RECEIVE_BLOCK_SIZE = 0x0001010B;
    public static final int OID_GEN_VENDOR_ID = 0x0001010C;
    public static final int OID_GEN_VENDOR_DESCRIPTION = 0x0001010D;
    public static final int OID_GEN_CURRENT_PACKET_FILTER = 0x0001010E;
    public static final int OID_GEN_CURRENT_LOOKAHEAD = 0x0001010F;
    public static final int OID_GEN_DRIVER_VERSION = 0x00010110;
    public static final int OID_GEN_MAXIMUM_TOTAL_SIZE = 0x00010111;
    public static final int OID_GEN_MAC_OPTIONS = 0x00010113;
    public static final int OID_GEN_MEDIA_CONNECT_STATUS = 0x00010114;
    public static final int OID_GEN_MAXIMUM_SEND_PACKETS = 0x00010115;
    public static final int OID_GEN_VENDOR_DRIVER_VERSION = 0x00010116;

    // ---- general operational (optional, NDIS 6) --------------------------------------------
    public static final int OID_GEN_PHYSICAL_MEDIUM = 0x00010202;
    public static final int OID_GEN_MAC_ADDRESS = 0x00010205;
    public static final int OID_GEN_MAX_LINK_SPEED = 0x00010206;
    public static final int OID_GEN_LINK_STATE = 0x00010207;
    public static final int OID_GEN_LINK_PARAMETERS = 0x00010208;
    public static final int OID_GEN_INTERRUPT_MODERATION = 0x00010209;

    // ---- general statistics ----------------------------------------------------------------
    public static final int OID_GEN_XMIT_OK = 0x00020101;
    public static final int OID_GEN_RCV_OK = 0x00020102;
    public static final int OID_GEN_XMIT_ERROR = 0x00020103;
    public static final int OID_GEN_RCV_ERROR = 0x00020104;
    public static final int OID_GEN_RCV_NO_BUFFER = 0x00020105;
    public static final int OID_GEN_STATISTICS = 0x00020106;
    public static final int OID_GEN_BYTES_RCV = 0x00020219;
    public static final int OID_GEN_BYTES_XMIT = 0x0002021A;
    public static final int OID_GEN_RCV_DISCARDS = 0x0002021B;
    public static final int OID_GEN_XMIT_DISCARDS = 0x0002021C;

    // ---- 802.3 (Ethernet) ------------------------------------------------------------------
    public static final int OID_802_3_PERMANENT_ADDRESS = 0x01010101;
    public static final int OID_802_3_CURRENT_ADDRESS = 0x01010102;
    public static final int OID_802_3_MULTICAST_LIST = 0x01010103;
    public static final int OID_802_3_MAXIMUM_LIST_SIZE = 0x01010104;
    public static final int OID_802_3_RCV_ERROR_ALIGNMENT = 0x01020101;
    public static final int OID_802_3_XMIT_ONE_COLLISION = 0x01020102;
    public static final int OID_802_3_XMIT_MORE_COLLISIONS = 0x01020103;
    public static final int OID_802_3_ADD_MULTICAST_ADDRESS = 0x01010208;
    public static final int OID_802_3_DELETE_MULTICAST_ADDRESS = 0x01010209;

    private static final Map<Integer, String> NAMES = names();

    /** The C name of {@code oid} ("OID_GEN_LINK_STATE"), or its hex value when ndis4j does not define it. */
    public static String name(int oid) {
        String name = NAMES.get(oid);
        return name != null ? name : String.format("OID 0x%08X", oid);
    }

    private static Map<Integer, String> names() {
        Map<Integer, String> names = new HashMap<>();
        for (Field f : Oid.class.getDeclaredFields()) {
            if (f.getType() == int.class
                    && Modifier.isStatic(f.getModifiers())
                    && f.getName().startsWith("OID_")) {
                try {
                    names.put(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Map.copyOf(names);
    }
}
