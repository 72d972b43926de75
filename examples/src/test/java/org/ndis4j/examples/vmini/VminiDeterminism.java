package org.ndis4j.examples.vmini;

import static org.ndis4j.examples.vmini.VminiScenarios.A;
import static org.ndis4j.examples.vmini.VminiScenarios.B;
import static org.ndis4j.examples.vmini.VminiScenarios.NORMAL;
import static org.ndis4j.examples.vmini.VminiScenarios.exchange;
import static org.ndis4j.examples.vmini.VminiScenarios.frame;

import java.time.Duration;
import java.util.List;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.wire.InMemoryWire;

/**
 * One vmini scenario as a deterministic run, for the determinism checks: two machines on the
 * in-memory wire boot, bring the link up, set the packet filter, exchange frames both ways, pull and
 * replug the cable, read the statistics OID and shut down. {@link #main} prints {@code seed<TAB>sha256} per seed, for scripts/det-determinism.sh.
 */
final class VminiDeterminism {

    private static final KernelConfig MACHINE = KernelConfig.defaults()
            .withName("vmini")
            .withProcessors(2)
            .withWorkers(2, 1)
            .withNdisWatchdog(Duration.ofSeconds(5))
            .withScheduling(KernelConfig.Scheduling.DETERMINISTIC);

    private VminiDeterminism() {}

    static SimulationResult run(long seed) {
        Simulation sim = Simulation.start(SimulationOptions.seed("VminiDeterminism", seed));
        Throwable failure = null;
        try {
            sim.call(() -> {
                scenario();
                return null;
            });
        } catch (Throwable t) {
            failure = t;
        }
        return sim.finish(failure);
    }

    private static void scenario() {
        Kernel ka = Kernel.boot(MACHINE);
        Kernel kb = Kernel.boot(MACHINE);
        InMemoryWire wire = InMemoryWire.pair();
        try (VminiStation a = new VminiStation(ka, "vnic-a", wire.a(), A);
                VminiStation b = new VminiStation(kb, "vnic-b", wire.b(), B)) {
            a.protocol.awaitLinkState("A's link up", NdisLinkState::isConnected);
            b.protocol.awaitLinkState("B's link up", NdisLinkState::isConnected);
            check(a.setPacketFilter(NORMAL) == NdisStatus.SUCCESS, "A's filter");
            check(b.setPacketFilter(NORMAL) == NdisStatus.SUCCESS, "B's filter");
            exchange(a, b, List.of(frame(B, A, 64, 1), frame(B, A, 900, 2), frame(B, A, 1514, 3)), 3);
            exchange(b, a, List.of(frame(A, B, 128, 4)), 1);
            // The link goes down and up: vmini's work item indicates both, the PHY runs on the device timer.
            wire.cut();
            a.protocol.awaitLinkState("A's link down", s -> !s.isConnected());
            wire.reconnect();
            a.protocol.awaitLinkState("A's link up again", NdisLinkState::isConnected);
            exchange(a, b, List.of(frame(B, A, 200, 5)), 1);
            check(VminiScenarios.statistics(b).ifHCInUcastPkts() == 4, "B counted four unicast frames");
        } finally {
            kb.close();
            ka.close();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /** {@code from to [twice]}: runs seeds from..to (inclusive), printing "seed TAB sha256 TAB result". */
    public static void main(String[] args) {
        long from = Long.parseLong(args[0]);
        long to = Long.parseLong(args[1]);
        boolean twice = args.length > 2 && args[2].equals("twice");
        int mismatches = 0;
        for (long seed = from; seed <= to; seed++) {
            SimulationResult r = run(seed);
            if (twice) {
                SimulationResult again = run(seed);
                if (!again.eventLogSha256().equals(r.eventLogSha256())) {
                    mismatches++;
                    System.err.println("seed " + seed + ": " + r.eventLogSha256() + " then " + again.eventLogSha256());
                }
            }
            System.out.println(seed + "\t" + r.eventLogSha256() + "\t"
                    + (r.passed() ? "pass" : "fail: " + firstLine(r.failure())));
        }
        if (mismatches > 0) {
            System.err.println(mismatches + " seeds gave different hashes in one JVM");
            System.exit(1);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
