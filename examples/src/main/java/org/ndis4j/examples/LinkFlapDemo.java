package org.ndis4j.examples;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ndis4j.examples.linkflap.Console;
import org.ndis4j.examples.linkflap.LinkDevice;
import org.ndis4j.examples.linkflap.LinkFlapDriver;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatusIndication;

/**
 * Boots a kernel, loads the link-flap miniport, adds a device, pulls and plugs its cable a few times
 * and prints what happened: the NDIS trace (state transitions), the timer DPC, the work item
 * routine at PASSIVE_LEVEL, and the link indications that reach the top of the stack.
 */
public final class LinkFlapDemo {

    private LinkFlapDemo() {}

    public static void main(String[] args) throws Exception {
        int flaps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.exit(
                switch (run(flaps)) {
                    case COMPLETED -> 0;
                    case STEP_MISSED -> 1;
                    case BUG_CHECK -> 3;
                });
    }

    /** How a run ended (the tools map it to their exit status). */
    public enum Outcome {
        COMPLETED,
        /** A link change the demo waited for did not come. */
        STEP_MISSED,
        BUG_CHECK
    }

    /** Runs the demo. */
    public static Outcome run(int flaps) throws InterruptedException {
        try (Kernel kernel = Kernel.boot(KernelConfig.defaults().withName("demo"))) {
            kernel.onCrash(report -> System.out.println(report.toText()));
            Console.say("booted %s", kernel);
            PnpManager pnp = PnpManager.of(kernel);
            DriverObject driver = pnp.loadDriver("linkflap", LinkFlapDriver::driverEntry);
            LinkDevice device = new LinkDevice("dev0");
            NdisMiniportAdapterHandle adapter = pnp.addDevice(driver, device.resources());
            AdapterView view = AdapterView.of(adapter);
            Console.say("%s is %s", adapter.name(), view.state());

            LinkedBlockingQueue<NdisLinkState> indications = new LinkedBlockingQueue<>();
            view.addStatusListener((NdisStatusIndication s) -> {
                Console.say(
                        "protocol edge received NDIS_STATUS_LINK_STATE (%s): %s",
                        s.statusCode().hex(), s.statusBuffer());
                if (s.statusBuffer() instanceof NdisLinkState link) {
                    indications.add(link);
                }
            });
            for (int i = 0; i < flaps; i++) {
                for (boolean plugged : new boolean[] {true, false}) {
                    Console.say("cable %s", plugged ? "plugged in" : "pulled");
                    device.setCable(plugged);
                    NdisLinkState seen = indications.poll(5, TimeUnit.SECONDS);
                    if (seen == null || seen.isConnected() != plugged) {
                        Console.say("expected link %s, saw %s", plugged ? "up" : "down", seen);
                        return kernel.isCrashed() ? Outcome.BUG_CHECK : Outcome.STEP_MISSED;
                    }
                }
            }
            pnp.removeDevice(adapter);
            Console.say("%s is %s", adapter.name(), view.state());
            pnp.unloadDriver(driver);
            return kernel.isCrashed() ? Outcome.BUG_CHECK : Outcome.COMPLETED;
        } finally {
            Console.say("kernel closed");
        }
    }
}
