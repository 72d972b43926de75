package org.ndis4j.tools.bench;

import java.util.List;

/** Every benchmark {@code ndis4j bench} knows, in the order it runs them. Add new ones here. */
public final class Benchmarks {

    private Benchmarks() {}

    public static List<Benchmark> all() {
        return List.of(
                new SwitchForwarding(64),
                new SwitchForwarding(1514),
                new HostToHost.Udp(64),
                new HostToHost.Udp(1514),
                new HostToHost.PingRtt(),
                new KernelLatency.WorkItem(),
                new KernelLatency.InterruptToDpc());
    }
}
