package org.ndis4j.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.examples.ipstack.IpStatistics;
import org.ndis4j.kernel.KernelStatistics;
import org.ndis4j.kernel.WorkQueueType;
import org.ndis4j.nic.Statistics;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.wire.SwitchPortStatistics;
import org.ndis4j.wire.VirtualSwitch;

/** The demo's closing table: per host, what its machine, its drivers and its NIC did; then the switch. */
final class DemoSummary {

    private DemoSummary() {}

    static void print(PrintStream out, IpHost a, IpHost b, VirtualSwitch vswitch, List<Long> rttMicros) {
        String row = "  %-42s %16s %16s%n";
        out.printf(Locale.ROOT, row, "", "host-a", "host-b");
        if (!rttMicros.isEmpty()) {
            long min = rttMicros.stream().mapToLong(Long::longValue).min().orElseThrow();
            long max = rttMicros.stream().mapToLong(Long::longValue).max().orElseThrow();
            double avg = rttMicros.stream().mapToLong(Long::longValue).average().orElseThrow();
            out.printf(
                    Locale.ROOT,
                    row,
                    "RTT min/avg/max, ms (" + rttMicros.size() + " replies)",
                    String.format(Locale.ROOT, "%.3f/%.3f/%.3f", min / 1e3, avg / 1e3, max / 1e3),
                    "-");
        }
        Statistics na = a.nic().statistics();
        Statistics nb = b.nic().statistics();
        out.printf(
                Locale.ROOT,
                row,
                "frames sent / received (NIC)",
                pair(na, StatisticsCounter.TX_FRAMES, StatisticsCounter.RX_FRAMES),
                pair(nb, StatisticsCounter.TX_FRAMES, StatisticsCounter.RX_FRAMES));
        KernelStatistics ka = a.kernel().statistics();
        KernelStatistics kb = b.kernel().statistics();
        out.printf(
                Locale.ROOT,
                row,
                "interrupts (ISRs run)",
                ka.interruptServiceRoutines(),
                kb.interruptServiceRoutines());
        out.printf(
                Locale.ROOT,
                row,
                "DPCs run (interrupt and timer)",
                ka.deferredProcedureCalls(),
                kb.deferredProcedureCalls());
        out.printf(
                Locale.ROOT,
                row,
                "work items run (CriticalWorkQueue)",
                ka.workItems(WorkQueueType.CriticalWorkQueue),
                kb.workItems(WorkQueueType.CriticalWorkQueue));
        IpStatistics ia = a.ip().statistics();
        IpStatistics ib = b.ip().statistics();
        out.printf(Locale.ROOT, row, "OIDs ipstack issued: pended / completed", oids(ia), oids(ib));
        out.printf(
                Locale.ROOT,
                row,
                "echo requests sent / received",
                pair(ia, IpCounter.ICMP_ECHO_REQUESTS_SENT, IpCounter.ICMP_ECHO_REQUESTS_RECEIVED),
                pair(ib, IpCounter.ICMP_ECHO_REQUESTS_SENT, IpCounter.ICMP_ECHO_REQUESTS_RECEIVED));
        out.printf(
                Locale.ROOT,
                row,
                "echo replies received / sent",
                pair(ia, IpCounter.ICMP_ECHO_REPLIES_RECEIVED, IpCounter.ICMP_ECHO_REPLIES_SENT),
                pair(ib, IpCounter.ICMP_ECHO_REPLIES_RECEIVED, IpCounter.ICMP_ECHO_REPLIES_SENT));
        out.printf(Locale.ROOT, row, "drops: ipstack", ia.drops(), ib.drops());
        out.printf(
                Locale.ROOT,
                row,
                "drops: vlanfilter (policy, VLAN)",
                a.filter().orElseThrow().statistics().drops(),
                b.filter().orElseThrow().statistics().drops());
        out.printf(
                Locale.ROOT,
                row,
                "drops: NIC receive filter",
                na.get(StatisticsCounter.RX_FILTERED),
                nb.get(StatisticsCounter.RX_FILTERED));
        for (SwitchPortStatistics port : vswitch.ports()) {
            out.println("  switch " + port);
        }
    }

    private static String pair(Statistics s, StatisticsCounter first, StatisticsCounter second) {
        return s.get(first) + " / " + s.get(second);
    }

    private static String oids(IpStatistics s) {
        return s.get(IpCounter.OIDS_PENDED) + " / " + (s.get(IpCounter.OIDS_COMPLETED) + s.get(IpCounter.OIDS_FAILED));
    }

    private static String pair(IpStatistics s, IpCounter first, IpCounter second) {
        return s.get(first) + " / " + s.get(second);
    }
}
