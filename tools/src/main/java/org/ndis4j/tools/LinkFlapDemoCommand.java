package org.ndis4j.tools;

import java.util.concurrent.Callable;
import org.ndis4j.examples.LinkFlapDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ndis4j demo link-flap}: boots a kernel, loads the link-flap miniport, adds a device, pulls
 * and plugs its cable and prints the trace. Exit status 0, or 1 if the machine bug-checked.
 */
@Command(
        name = "link-flap",
        mixinStandardHelpOptions = true,
        description = {
            "Boots a simulated kernel, loads the link-flap miniport, adds a device and flaps its",
            "link, printing the trace: processors and IRQLs, adapter state transitions, the timer DPC,",
            "the NDIS I/O work item at PASSIVE_LEVEL and the link indications."
        })
final class LinkFlapDemoCommand implements Callable<Integer> {

    @Option(
            names = "--flaps",
            paramLabel = "N",
            defaultValue = "3",
            description = "How many times to plug and pull the cable (default: ${DEFAULT-VALUE}).")
    int flaps;

    @Override
    public Integer call() throws InterruptedException {
        if (flaps < 1 || flaps > 1000) {
            System.err.println("ndis4j demo link-flap: --flaps must be 1..1000, not " + flaps);
            return 2;
        }
        return LinkFlapDemo.run(flaps) ? 0 : 1;
    }
}
