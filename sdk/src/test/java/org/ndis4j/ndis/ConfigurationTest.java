package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.config.NdisConfigurationObject;
import org.ndis4j.ndis.config.NdisConfigurationParameter;
import org.ndis4j.ndis.config.NdisParameterType;
import org.ndis4j.ndis.types.NdisConfigurationHandle;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.registry.AdapterConfiguration;
import org.ndis4j.registry.RegistryValue;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

/**
 * NdisOpenConfigurationEx, NdisReadConfiguration, NdisWriteConfiguration, NdisReadNetworkAddress and
 * NdisCloseConfiguration on the registry a host gave the adapter: how each registry type reads for
 * each parameter type, what a miniport's write leaves for the next open, and the rules (PASSIVE_LEVEL,
 * a handle closed by the end of MiniportInitializeEx, no use after close).
 */
@ExtendWith(KernelExtension.class)
class ConfigurationTest {

    static final AdapterConfiguration REGISTRY = AdapterConfiguration.builder()
            .keyword("*JumboPacket", "9014")
            .keyword("NetworkAddress", "02-4E-44-00-00-10")
            .keyword("*InterruptModeration", "0")
            .value("VendorHex", new RegistryValue.RegSz("1F"))
            .value("VendorDword", new RegistryValue.RegDword(42))
            .value("VendorName", new RegistryValue.RegSz("ndis4j"))
            .multiString("VendorList", List.of("a", "b"))
            .value("VendorBlob", new RegistryValue.RegBinary(new byte[] {1, 2, 3}))
            .build();

    private static NdisMiniportAdapterHandle adapter(
            Kernel kernel, TestMiniport miniport, AdapterConfiguration registry) {
        return PnpManager.of(kernel).addDevice(miniport.load(kernel, "cfg"), TestMiniport.trivialDevice("d"), registry);
    }

    @Test
    void aMiniportReadsItsKeywordsInInitializeAsEachTypeAsks(Kernel kernel) {
        AtomicReference<List<Object>> read = new AtomicReference<>();
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> {
            NdisConfigurationHandle c = Ndis.openConfigurationEx(NdisConfigurationObject.of(a.handle));
            read.set(List.of(
                    Ndis.readConfiguration(c, "*JumboPacket", NdisParameterType.NdisParameterInteger)
                            .integerData(),
                    Ndis.readConfiguration(c, "*jumbopacket", NdisParameterType.NdisParameterString)
                            .stringData(), // names ignore case
                    Ndis.readConfiguration(c, "VendorHex", NdisParameterType.NdisParameterHexInteger)
                            .integerData(),
                    Ndis.readConfiguration(c, "VendorDword", NdisParameterType.NdisParameterInteger)
                            .integerData(),
                    Ndis.readConfiguration(c, "VendorList", NdisParameterType.NdisParameterMultiString)
                            .multiStringData(),
                    List.of(Ndis.readConfiguration(c, "VendorBlob", NdisParameterType.NdisParameterBinary)
                            .binaryData()
                            .length),
                    Ndis.readConfiguration(c, "NdisVersion", NdisParameterType.NdisParameterHexInteger)
                            .integerData(),
                    Ndis.readNetworkAddress(c).length));
            Ndis.closeConfiguration(c);
            return NdisStatus.SUCCESS;
        };
        adapter(kernel, miniport, REGISTRY);
        assertThat(read.get()).containsExactly(9014, "9014", 0x1F, 42, List.of("a", "b"), List.of(3), 0x0006_0014, 6);
    }

    @Test
    void whatIsMissingOrOfAnotherTypeFailsAsNdisStatusFailure(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel, new TestMiniport(), REGISTRY);
        NdisConfigurationHandle c = Ndis.openConfigurationEx(NdisConfigurationObject.of(adapter));
        assertThat(Ndis.readConfiguration(c, "*ReceiveBuffers", NdisParameterType.NdisParameterInteger))
                .isNull(); // not configured: the driver uses its default
        assertThat(Ndis.readConfiguration(c, "VendorName", NdisParameterType.NdisParameterInteger))
                .isNull(); // "ndis4j" is not a number
        assertThat(Ndis.readConfiguration(c, "VendorDword", NdisParameterType.NdisParameterString))
                .isNull();
        assertThat(Ndis.readConfiguration(c, "VendorBlob", NdisParameterType.NdisParameterMultiString))
                .isNull();
        Ndis.closeConfiguration(c);
        NdisConfigurationHandle empty = Ndis.openConfigurationEx(
                NdisConfigurationObject.of(adapter(kernel, new TestMiniport(), AdapterConfiguration.empty())));
        assertThat(Ndis.readNetworkAddress(empty)).isNull();
        Ndis.closeConfiguration(empty);
    }

    @Test
    void aWriteIsReadBackByTheNextOpenAsRegDword(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel, new TestMiniport(), REGISTRY);
        NdisConfigurationHandle c = Ndis.openConfigurationEx(NdisConfigurationObject.of(adapter));
        assertThat(Ndis.writeConfiguration(c, "ResetCount", NdisConfigurationParameter.integer(7)))
                .isEqualTo(NdisStatus.SUCCESS);
        Ndis.closeConfiguration(c);
        NdisConfigurationHandle again = Ndis.openConfigurationEx(NdisConfigurationObject.of(adapter));
        assertThat(Ndis.readConfiguration(again, "ResetCount", NdisParameterType.NdisParameterHexInteger)
                        .integerData())
                .isEqualTo(7);
        assertThat(Ndis.readConfiguration(again, "ResetCount", NdisParameterType.NdisParameterString))
                .isNull(); // a REG_DWORD is not a string
        Ndis.closeConfiguration(again);
        assertThat(REGISTRY.get("ResetCount")).isNull(); // the host's configuration is not changed
    }

    @Test
    void aHandleStillOpenAtTheEndOfInitializeIsRuleNdisOpenConfigurationEx(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> {
            Ndis.openConfigurationEx(NdisConfigurationObject.of(a.handle)); // never closed
            return NdisStatus.SUCCESS;
        };
        var report = assertViolation(kernel, Rule.NdisOpenConfigurationEx, () -> adapter(kernel, miniport, REGISTRY));
        assertThat(report.message()).contains("by the end of MiniportInitializeEx");
        assertThat(report.parameters().get(0)).isEqualTo(0x0009_2500L);
    }

    @Test
    void aFailedInitializeMustCloseItsHandleToo(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> {
            Ndis.openConfigurationEx(NdisConfigurationObject.of(a.handle));
            return NdisStatus.RESOURCES;
        };
        var report = assertViolation(kernel, Rule.NdisOpenConfigurationEx, () -> adapter(kernel, miniport, REGISTRY));
        assertThat(report.message()).contains("a failed MiniportInitializeEx");
    }

    @Test
    void aHandleUsedAfterCloseIsHandleInvalid(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel, new TestMiniport(), REGISTRY);
        NdisConfigurationHandle c = Ndis.openConfigurationEx(NdisConfigurationObject.of(adapter));
        Ndis.closeConfiguration(c);
        assertViolation(
                kernel,
                Rule.Handle_Invalid,
                () -> Ndis.readConfiguration(c, "*JumboPacket", NdisParameterType.NdisParameterInteger));
    }

    @Test
    void openingAbovePassiveLevelIsAnIrqlViolation(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel, new TestMiniport(), REGISTRY);
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            assertViolation(
                    kernel,
                    Rule.Irql_Miscellaneous_Function,
                    () -> Ndis.openConfigurationEx(NdisConfigurationObject.of(adapter)));
        } finally {
            Ke.lowerIrql(old);
        }
    }

    @Test
    void theHostsConfigurationIsCheckedAgainstTheStandardizedKeywords() {
        assertThatThrownBy(() -> AdapterConfiguration.builder().keyword("*JumboPaket", "9014"))
                .hasMessage("*JumboPaket is not a standardized keyword (did you mean *JumboPacket?)");
        assertThatThrownBy(() -> AdapterConfiguration.builder().keyword("*JumboPacket", "9015"))
                .hasMessage("*JumboPacket: 9015 is above 9014");
        assertThatThrownBy(() -> AdapterConfiguration.builder().keyword("*SpeedDuplex", "11"))
                .hasMessageStartingWith("*SpeedDuplex: 11 is not one of");
        assertThatThrownBy(() -> AdapterConfiguration.builder().keyword("NetworkAddress", "02-4E"))
                .hasMessageContaining("not a MAC address");
        assertThatThrownBy(() -> AdapterConfiguration.builder().value("*VlanID", new RegistryValue.RegDword(3)))
                .hasMessageContaining("REG_SZ text, not REG_DWORD");
    }
}
