package org.ndis4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.examples.linkflap.LinkDevice;
import org.ndis4j.examples.linkflap.LinkFlapDriver;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.KernelExtension;

@ExtendWith(KernelExtension.class)
class LinkFlapDemoTest {

    @Test
    void demoRunsCleanly() throws Exception {
        assertThat(LinkFlapDemo.run(2)).isEqualTo(LinkFlapDemo.Outcome.COMPLETED);
    }

    @Test
    void everyCableChangeBecomesOneLinkIndication(Kernel kernel) {
        PnpManager pnp = PnpManager.of(kernel);
        LinkDevice device = new LinkDevice("dev0");
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(pnp.loadDriver("linkflap", LinkFlapDriver::driverEntry), device.resources());
        List<Boolean> links = new CopyOnWriteArrayList<>();
        AdapterView.of(adapter).addStatusListener(s -> {
            links.add(((NdisLinkState) s.statusBuffer()).isConnected());
            Await.changed();
        });
        device.setCable(true);
        Await.until("the link-up indication", () -> links.size() == 1);
        device.setCable(false);
        Await.until("the link-down indication", () -> links.size() == 2);
        assertThat(links).containsExactly(true, false);
        assertThat(AdapterView.of(adapter).linkState().isConnected()).isFalse();
        // The extension removes the device at the end: halt must free the work item and the timer.
    }
}
