package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.BugCheckAssertions;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;

/**
 * Surprise removal: NDIS tells the miniport (MiniportDevicePnPEventNotify with
 * NdisDevicePnPEventSurpriseRemoved, PASSIVE_LEVEL), then pauses it and halts it with
 * NdisHaltDeviceSurpriseRemoved. The device's slot starts it, or the host.
 */
@ExtendWith(KernelExtension.class)
class SurpriseRemovalTest {

    @Test
    void aDevicePulledFromItsSlotIsToldThenPausedAndHaltedAsSurpriseRemoved(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        PnpManager pnp = PnpManager.of(kernel);
        DeviceResources device = TestMiniport.trivialDevice("nic0");
        NdisMiniportAdapterHandle adapter = pnp.addDevice(miniport.load(kernel, "pulled"), device);

        device.slot().surpriseRemove(); // from the test thread: NDIS does the rest on a system thread

        Await.until("the adapter leaves the machine", () -> !pnp.devices().contains(adapter));
        assertThat(miniport.calls)
                .containsExactly("initialize", "restart", "pnp NdisDevicePnPEventSurpriseRemoved", "pause", "halt");
        assertThat(miniport.contexts).containsExactly("pnp(NdisDevicePnPEventSurpriseRemoved) PASSIVE_LEVEL WORKER");
        assertThat(miniport.haltActions).containsExactly(NdisHaltAction.NdisHaltDeviceSurpriseRemoved);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Halted);
        assertThat(AdapterView.of(adapter).isSurpriseRemoved()).isTrue();
        assertThatThrownBy(() -> pnp.removeDevice(adapter)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theHostSurpriseRemovesADeviceAndWaitsUntilItIsHalted(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(miniport.load(kernel, "pulled"), TestMiniport.trivialDevice("nic0"));

        pnp.surpriseRemoveDevice(adapter);

        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Halted);
        assertThat(miniport.haltActions).containsExactly(NdisHaltAction.NdisHaltDeviceSurpriseRemoved);
        pnp.surpriseRemoveDevice(adapter); // gone already: nothing happens
        assertThat(miniport.calls).containsOnlyOnce("halt");
    }

    @Test
    void anOrdinaryRemovalIsNoSurprise(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        PnpManager pnp = PnpManager.of(kernel);
        DeviceResources device = TestMiniport.trivialDevice("nic0");
        NdisMiniportAdapterHandle adapter = pnp.addDevice(miniport.load(kernel, "removed"), device);

        pnp.removeDevice(adapter);
        device.slot().surpriseRemove(); // pulled after removal: NDIS no longer listens

        assertThat(miniport.calls).containsExactly("initialize", "restart", "pause", "halt");
        assertThat(miniport.haltActions).containsExactly(NdisHaltAction.NdisHaltDeviceInstanceDeInitialized);
        assertThat(AdapterView.of(adapter).isSurpriseRemoved()).isFalse();
    }

    @Test
    @KernelOptions(ndisWatchdogMillis = 1_000)
    void aDevicePnPEventNotifyThatNeverReturnsIsTheWatchdogWithTheEventCode(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onDevicePnPEvent = a -> Ndis.waitEvent(Ndis.initializeEvent(), 0);
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(miniport.load(kernel, "stuck"), TestMiniport.trivialDevice("nic0"));

        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel, BugCheckCode.BUGCODE_NDIS_DRIVER, () -> pnp.surpriseRemoveDevice(adapter));

        // ndis4j's code 0xA6 (MiniportDevicePnPEventNotify), parameter 4 = NdisDevicePnPEventSurpriseRemoved.
        assertThat(report.parameters()).containsExactly(0x25L, 0xA6L, 1_000L, 2L);
    }
}
