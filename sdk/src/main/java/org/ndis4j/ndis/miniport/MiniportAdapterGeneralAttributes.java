package org.ndis4j.ndis.miniport;

import java.util.List;
import org.ndis4j.ndis.oid.NdisMacOption;
import org.ndis4j.ndis.types.NdisLinkState;

/**
 * NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES: what NDIS answers OIDs from, and the initial link state.
 * A driver builds it by name:
 *
 * <pre>
 *   MiniportAdapterGeneralAttributes.builder()
 *           .mtuSize(1500)
 *           .maxLinkSpeed(1_000_000_000L)
 *           .initialLinkState(NdisLinkState.disconnected())
 *           .macAddress(address)                       // permanent and current
 *           .supportedPacketFilters(NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST)
 *           .maxMulticastListSize(32)
 *           .supportedOidList(SUPPORTED_OIDS)
 *           .build();
 * </pre>
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
 * @param macOptions             NDIS_MAC_OPTION_* bits (OID_GEN_MAC_OPTIONS)
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

    /** A builder: MTU, maximum link speed, initial link state and MAC address are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the attributes by name. Defaults: the lookahead is the MTU, the current MAC address is
     * the permanent one, no packet filters, no multicast list, no OIDs of the driver's own, MAC
     * options {@link NdisMacOption#DEFAULT}.
     */
    public static final class Builder {

        private int mtuSize;
        private long maxLinkSpeed;
        private NdisLinkState initialLinkState;
        private Integer lookaheadSize;
        private byte[] permanentMacAddress;
        private byte[] currentMacAddress;
        private int supportedPacketFilters;
        private int maxMulticastListSize;
        private List<Integer> supportedOidList = List.of();
        private int macOptions = NdisMacOption.DEFAULT;

        private Builder() {}

        /** MtuSize: the largest frame payload, OID_GEN_MAXIMUM_FRAME_SIZE. Required. */
        public Builder mtuSize(int bytes) {
            this.mtuSize = bytes;
            return this;
        }

        /** MaxXmitLinkSpeed and MaxRcvLinkSpeed, bits per second. Required. */
        public Builder maxLinkSpeed(long bitsPerSecond) {
            this.maxLinkSpeed = bitsPerSecond;
            return this;
        }

        /** MediaConnectState, MediaDuplexState and speeds at the end of MiniportInitializeEx. Required. */
        public Builder initialLinkState(NdisLinkState state) {
            this.initialLinkState = state;
            return this;
        }

        /** LookaheadSize (OID_GEN_CURRENT_LOOKAHEAD); the MTU when not set. */
        public Builder lookaheadSize(int bytes) {
            this.lookaheadSize = bytes;
            return this;
        }

        /** PermanentMacAddress and CurrentMacAddress, the same 6 bytes. */
        public Builder macAddress(byte[] address) {
            return permanentMacAddress(address).currentMacAddress(address);
        }

        /** PermanentMacAddress, 6 bytes. Required. */
        public Builder permanentMacAddress(byte[] address) {
            this.permanentMacAddress = address.clone();
            return this;
        }

        /** CurrentMacAddress, 6 bytes; the permanent address when not set. */
        public Builder currentMacAddress(byte[] address) {
            this.currentMacAddress = address.clone();
            return this;
        }

        /** SupportedPacketFilters: NDIS_PACKET_TYPE_* bits. */
        public Builder supportedPacketFilters(int packetTypes) {
            this.supportedPacketFilters = packetTypes;
            return this;
        }

        /** MaxMulticastListSize (OID_802_3_MAXIMUM_LIST_SIZE). */
        public Builder maxMulticastListSize(int entries) {
            this.maxMulticastListSize = entries;
            return this;
        }

        /** SupportedOidList: the OIDs the miniport handles itself (OID_GEN_SUPPORTED_LIST). */
        public Builder supportedOidList(List<Integer> oids) {
            this.supportedOidList = List.copyOf(oids);
            return this;
        }

        /** MacOptions: NDIS_MAC_OPTION_* bits (OID_GEN_MAC_OPTIONS). */
        public Builder macOptions(int options) {
            this.macOptions = options;
            return this;
        }

        /** The attributes; an unset required field is an {@link IllegalStateException} naming it. */
        public MiniportAdapterGeneralAttributes build() {
            if (mtuSize <= 0) {
                throw new IllegalStateException("mtuSize is required (a positive number of bytes)");
            }
            if (maxLinkSpeed <= 0) {
                throw new IllegalStateException("maxLinkSpeed is required (bits per second)");
            }
            if (initialLinkState == null) {
                throw new IllegalStateException("initialLinkState is required");
            }
            if (permanentMacAddress == null) {
                throw new IllegalStateException("permanentMacAddress (or macAddress) is required");
            }
            return new MiniportAdapterGeneralAttributes(
                    mtuSize,
                    maxLinkSpeed,
                    initialLinkState,
                    lookaheadSize != null ? lookaheadSize : mtuSize,
                    permanentMacAddress,
                    currentMacAddress != null ? currentMacAddress : permanentMacAddress,
                    supportedPacketFilters,
                    maxMulticastListSize,
                    supportedOidList,
                    macOptions);
        }
    }
}
