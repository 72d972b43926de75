package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.BugCheckAssertions;
import org.ndis4j.testing.KernelExtension;

/**
 * MiniportShutdownEx: on a system shutdown at PASSIVE_LEVEL with NdisShutdownPowerOff, after which
 * NDIS calls nothing of the adapter (not even MiniportHaltEx); on a bug check at HIGH_LEVEL with
 * NdisShutdownBugCheck, only for an adapter that registered for it.
 */
@ExtendWith(KernelExtension.class)
class ShutdownTest {

    @Test
    void aSystemShutdownCallsMiniportShutdownExAtPassiveLevelAndNothingAfterIt(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(miniport.load(kernel, "down"), TestMiniport.trivialDevice("nic0"));

        pnp.shutdown();

        assertThat(miniport.contexts).containsExactly("shutdown(NdisShutdownPowerOff) PASSIVE_LEVEL WORKER");
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Shutdown);
        assertThat(NdisOidClient.of(adapter).requestAndWait(NdisOidRequest.query(Oid.OID_GEN_STATISTICS, 256)))
                .as("NDIS passes no request to a shut-down adapter")
                .isEqualTo(NdisStatus.ADAPTER_REMOVED);
        assertThatThrownBy(() -> pnp.removeDevice(adapter))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shut down");

        kernel.close(); // the machine powers off: no halt, no unload
        assertThat(miniport.calls).containsExactly("initialize", "restart", "shutdown");
    }

    @Test
    void withoutAShutdownTheKernelsCloseHaltsAndUnloadsAsUsual(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "up"), TestMiniport.trivialDevice("nic0"));

        kernel.close();

        assertThat(miniport.calls).containsExactly("initialize", "restart", "pause", "halt", "unload");
        assertThat(miniport.haltActions).containsExactly(NdisHaltAction.NdisHaltDeviceInstanceDeInitialized);
    }

    @Test
    void aBugCheckCallsMiniportShutdownExAtHighLevelForAnAdapterThatRegisteredForIt(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.attributeFlags |=
                MiniportAdapterRegistrationAttributes.NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK;
        List<String> ndisCallFromShutdown = new CopyOnWriteArrayList<>();
        miniport.onShutdown = a -> {
            try {
                Ndis.allocateIoWorkItem(a.handle); // no NdisXxx at HIGH_LEVEL on a crashed machine
                ndisCallFromShutdown.add("returned");
            } catch (RuntimeException e) {
                ndisCallFromShutdown.add(e.getClass().getSimpleName());
                throw e;
            }
        };
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "dumps"), TestMiniport.trivialDevice("nic0"));

        BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.MANUALLY_INITIATED_CRASH, () -> {
            throw Ke.bugCheckEx(kernel, 0xE2, 0, 0, 0, 0);
        });

        assertThat(miniport.contexts).containsExactly("shutdown(NdisShutdownBugCheck) HIGH_LEVEL EXTERNAL");
        assertThat(ndisCallFromShutdown).containsExactly("BugCheckException");
        assertThat(Ke.getCurrentIrql())
                .as("the crashing thread's IRQL is restored")
                .hasToString("PASSIVE_LEVEL");
    }

    @Test
    void aBugCheckLeavesAnAdapterThatDidNotRegisterForItAlone(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "quiet"), TestMiniport.trivialDevice("nic0"));

        BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.MANUALLY_INITIATED_CRASH, () -> {
            throw Ke.bugCheckEx(kernel, 0xE2, 0, 0, 0, 0);
        });

        assertThat(miniport.calls).doesNotContain("shutdown");
    }
}
