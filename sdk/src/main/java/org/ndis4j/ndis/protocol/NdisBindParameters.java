package org.ndis4j.ndis.protocol;

import org.ndis4j.ndis.types.NdisLinkState;

/**
 * NDIS_BIND_PARAMETERS, trimmed to what a protocol decides with.
 *
 * @param adapterName       the adapter (miniport) the binding goes to
 * @param ifIndex           its interface index
 * @param mtuSize           maximum frame payload
 * @param currentMacAddress its MAC address
 * @param linkState         the link state now
 */
public record NdisBindParameters(
        String adapterName, int ifIndex, int mtuSize, byte[] currentMacAddress, NdisLinkState linkState) {

    public NdisBindParameters {
        currentMacAddress = currentMacAddress.clone();
    }

    @Override
    public byte[] currentMacAddress() {
        return currentMacAddress.clone();
    }
}
