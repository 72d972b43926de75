package org.ndis4j.tools;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ndis4j.examples.PingDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ndis4j demo}: real packets end to end — two hosts on a virtual switch ping each other, a
 * port is pulled and plugged, a pended OID toggles promiscuous mode, the filter's OID changes what
 * passes; a summary table and a pcap of the switch. {@code ndis4j demo link-flap}: the link-flap
 * miniport's trace. Exit status 0, 1 when a step did not happen (or a machine bug-checked), 2 on a
 * usage error or a --pcap that cannot be written.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        subcommands = LinkFlapDemoCommand.class,
        description = {
            "Two hosts (virtual NIC, vmini, vlanfilter, ipstack, each on a kernel of its own) on a virtual",
            "switch over loopback TCP: A pings B; B's switch port is pulled and the link-down path is shown",
            "(interrupt, DPC, work item at PASSIVE_LEVEL, NdisMIndicateStatusEx, filter, ipstack) while pings",
            "time out; the port comes back (gratuitous ARP, pings resume); a pended OID turns promiscuous",
            "mode on and off; the filter's policy changes through its OID. Ends with a summary table and a",
            "pcap of the switch. 'demo link-flap' runs the link-flap demo."
        })
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--pcap",
            paramLabel = "FILE",
            defaultValue = "demo.pcap",
            description = "Write the switch's capture here (default: ${DEFAULT-VALUE}); an earlier capture is replaced,"
                    + " a symlink or another file is not.")
    Path pcap;

    @Override
    public Integer call() throws InterruptedException {
        PingDemo.quietLogs();
        return PingDemo.run(pcap, System.out);
    }
}
