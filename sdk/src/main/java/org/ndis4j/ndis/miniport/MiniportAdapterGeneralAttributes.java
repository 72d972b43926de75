package org.ndis4j.ndis.miniport;

import java.util.List;
import org.ndis4j.ndis.oid.NdisMacOption;
import org.ndis4j.ndis.types.NdisLinkState;

/**
 * NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES: what NDIS answers OIDs from, and the initial link state.
 *
 * @param mtuSize                maximum frame payload (OID_GEN_MAXIMUM_FRAME_SIZE), e.g. 1500
 * @param maxLinkSpeed           bits per second the hardware can do
 * @param initialLinkState       link state at the end of initialization
 * @param lookaheadSize          OID_GEN_CURRENT_LOOKAHEAD
 * @param permanentMacAddress    6 bytes
 * @param currentMacAddress      6 bytes
 * @param supportedPacketFilters NDIS_PACKET_TYPE_* bits
 * @param maxMulticastListSize   OID_802_3_MAXIMUM_LIST_SIZE
 * @param supportedOidList       OIDs the miniport handles (OID_GEN_SUPPORTED_LIST)
 * @param macOptions             NDIS_MAC_OPTION_* bits (OID_GEN_MAC_OPTIONS); the 9-argument constructor
 *                               uses {@code NdisMacOption.DEFAULT}
 */
public record MiniportAdapterGeneralAttributes(
        int mtuSize,
        long maxLinkSpeed,
        NdisLinkState initialLinkState,
        int lookaheadSize,
        byte[] permanentMacAddress,
        byte[] currentMacAddress,
        int supportedPacketFilters,
        int maxMulticastListSize,
        List<Integer> supportedOidList,
        int macOptions)
        implements MiniportAttributes {

    /** The attributes without MacOptions, which default to {@code NdisMacOption.DEFAULT}. */
    public MiniportAdapterGeneralAttributes(
            int mtuSize,
            long maxLinkSpeed,
            NdisLinkState initialLinkState,
            int lookaheadSize,
            byte[] permanentMacAddress,
            byte[] currentMacAddress,
            int supportedPacketFilters,
            int maxMulticastListSize,
            List<Integer> supportedOidList) {
        this(
                mtuSize,
                maxLinkSpeed,
                initialLinkState,
                lookaheadSize,
                permanentMacAddress,
                currentMacAddress,
                supportedPacketFilters,
                maxMulticastListSize,
                supportedOidList,
                NdisMacOption.DEFAULT);
    }

    public MiniportAdapterGeneralAttributes {
        if (initialLinkState == null) {
            throw new IllegalArgumentException("the initial link state is required");
        }
        if (permanentMacAddress == null
                || permanentMacAddress.length != 6
                || currentMacAddress == null
                || currentMacAddress.length != 6) {
            throw new IllegalArgumentException("MAC addresses are 6 bytes");
        }
        permanentMacAddress = permanentMacAddress.clone();
        currentMacAddress = currentMacAddress.clone();
        supportedOidList = List.copyOf(supportedOidList);
    }

    @Override
    public byte[] permanentMacAddress() {
        return permanentMacAddress.clone();
    }

    @Override
    public byte[] currentMacAddress() {
        return currentMacAddress.clone();
    }
}
