package org.ndis4j.ndis.miniport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ndis4j.ndis.oid.NdisMacOption;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisLinkState;

/** The general attributes' builder: every field by name, the documented defaults, required fields named. */
class MiniportAdapterGeneralAttributesTest {

    private static final byte[] PERMANENT = {2, 0, 0, 0, 0, 1};
    private static final byte[] CURRENT = {2, 0, 0, 0, 0, 2};

    private static MiniportAdapterGeneralAttributes.Builder required() {
        return MiniportAdapterGeneralAttributes.builder()
                .mtuSize(1500)
                .maxLinkSpeed(1_000_000_000L)
                .initialLinkState(NdisLinkState.disconnected())
                .permanentMacAddress(PERMANENT);
    }

    @Test
    void onlyTheRequiredFieldsGiveTheDocumentedDefaults() {
        MiniportAdapterGeneralAttributes a = required().build();

        assertThat(a.mtuSize()).isEqualTo(1500);
        assertThat(a.maxLinkSpeed()).isEqualTo(1_000_000_000L);
        assertThat(a.initialLinkState()).isEqualTo(NdisLinkState.disconnected());
        assertThat(a.lookaheadSize()).isEqualTo(1500);
        assertThat(a.permanentMacAddress()).containsExactly(PERMANENT);
        assertThat(a.currentMacAddress()).containsExactly(PERMANENT);
        assertThat(a.supportedPacketFilters()).isZero();
        assertThat(a.maxMulticastListSize()).isZero();
        assertThat(a.supportedOidList()).isEmpty();
        assertThat(a.macOptions()).isEqualTo(NdisMacOption.DEFAULT);
    }

    @Test
    void everyFieldSetByNameLandsInItsOwnComponent() {
        MiniportAdapterGeneralAttributes a = MiniportAdapterGeneralAttributes.builder()
                .mtuSize(9000)
                .maxLinkSpeed(10_000_000_000L)
                .initialLinkState(NdisLinkState.connected(10_000_000_000L))
                .lookaheadSize(256)
                .permanentMacAddress(PERMANENT)
                .currentMacAddress(CURRENT)
                .supportedPacketFilters(NdisPacketType.ETHERNET_FILTERS)
                .maxMulticastListSize(16)
                .supportedOidList(List.of(Oid.OID_GEN_STATISTICS))
                .macOptions(NdisMacOption.NDIS_MAC_OPTION_FULL_DUPLEX)
                .build();

        assertThat(a)
                .extracting(
                        MiniportAdapterGeneralAttributes::mtuSize,
                        MiniportAdapterGeneralAttributes::maxLinkSpeed,
                        MiniportAdapterGeneralAttributes::initialLinkState,
                        MiniportAdapterGeneralAttributes::lookaheadSize,
                        MiniportAdapterGeneralAttributes::supportedPacketFilters,
                        MiniportAdapterGeneralAttributes::maxMulticastListSize,
                        MiniportAdapterGeneralAttributes::supportedOidList,
                        MiniportAdapterGeneralAttributes::macOptions)
                .containsExactly(
                        9000,
                        10_000_000_000L,
                        NdisLinkState.connected(10_000_000_000L),
                        256,
                        NdisPacketType.ETHERNET_FILTERS,
                        16,
                        List.of(Oid.OID_GEN_STATISTICS),
                        NdisMacOption.NDIS_MAC_OPTION_FULL_DUPLEX);
        assertThat(a.permanentMacAddress()).containsExactly(PERMANENT);
        assertThat(a.currentMacAddress()).containsExactly(CURRENT);
    }

    @Test
    void macAddressSetsBothAddressesAndTheBuilderKeepsItsOwnCopy() {
        byte[] address = {2, 0, 0, 0, 0, 7};
        MiniportAdapterGeneralAttributes.Builder builder = required().macAddress(address);
        address[5] = 9;

        MiniportAdapterGeneralAttributes a = builder.build();

        assertThat(a.permanentMacAddress()).containsExactly(2, 0, 0, 0, 0, 7);
        assertThat(a.currentMacAddress()).containsExactly(2, 0, 0, 0, 0, 7);
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> required().mtuSize(0).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mtuSize");
        assertThatThrownBy(() -> required().maxLinkSpeed(0).build()).hasMessageContaining("maxLinkSpeed");
        assertThatThrownBy(() -> required().initialLinkState(null).build()).hasMessageContaining("initialLinkState");
        assertThatThrownBy(() -> MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(1)
                        .initialLinkState(NdisLinkState.disconnected())
                        .build())
                .hasMessageContaining("permanentMacAddress");
        assertThatThrownBy(() -> required().permanentMacAddress(new byte[5]).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6 bytes");
    }
}
