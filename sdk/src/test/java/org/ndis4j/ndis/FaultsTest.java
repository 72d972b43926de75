package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisTimer;

/**
 * Seeded faults through real NDIS calls: failed NdisAllocateIoWorkItem, NdisAllocateTimerObject,
 * NdisAllocateNetBufferListPool and NdisAllocateNetBufferList(AndNetBuffer),
 * a late NDIS timer, an NdisMSleep that oversleeps, a work item that starts late. Each kind happens
 * under some seed when faults are on, never when they are off, and a trace replays them exactly.
 */
class FaultsTest {

    private static final String ON_PURPOSE = "failing on purpose, for the trace";

    /** What the driver saw, in virtual nanoseconds. */
    private static SimulationResult run(SimulationOptions options, List<String> seen) {
        Simulation sim = Simulation.start(options);
        Throwable failure = null;
        try {
            sim.call(() -> {
                scenario(seen);
                throw new AssertionError(ON_PURPOSE);
            });
        } catch (Throwable t) {
            failure = t;
        }
        return sim.finish(failure);
    }

    private static void scenario(List<String> seen) {
        Kernel kernel = Kernel.boot(KernelConfig.defaults()
                .withName("faults")
                .withProcessors(1)
                .withWorkers(1, 1)
                .withScheduling(KernelConfig.Scheduling.DETERMINISTIC));
        TestMiniport miniport = new TestMiniport();
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(miniport.load(kernel, "faults"), TestMiniport.trivialDevice("dev0"));

        for (int i = 0; i < 8; i++) {
            NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
            seen.add(item == null ? "work item NULL" : "work item");
            if (item != null) {
                Ndis.freeIoWorkItem(item);
            }
        }

        NetBufferListPool pool = null;
        while (pool == null) {
            pool = Ndis.allocateNetBufferListPool(adapter, NetBufferListPoolParameters.withNetBuffer(0, 0));
            seen.add(pool == null ? "pool NULL" : "pool");
        }
        for (int i = 0; i < 8; i++) {
            NetBufferList nbl = i % 2 == 0
                    ? Ndis.allocateNetBufferList(pool, 0, 0)
                    : Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, null, 0, 0);
            seen.add(nbl == null ? "NBL NULL" : "NBL");
            if (nbl != null) {
                Ndis.freeNetBufferList(nbl);
            }
        }
        Ndis.freeNetBufferListPool(pool);

        long before = kernel.nanoTime();
        NdisM.sleep(1_000);
        seen.add("slept " + (kernel.nanoTime() - before));

        NdisEvent fired = Ndis.initializeEvent();
        long[] at = new long[1];
        NdisTimer timer = null;
        while (timer == null) {
            timer = Ndis.allocateTimerObject(
                    adapter,
                    (Object c, NdisTimer t) -> {
                        at[0] = kernel.nanoTime();
                        Ndis.setEvent(fired);
                    },
                    null);
            seen.add(timer == null ? "timer NULL" : "timer");
        }
        long set = kernel.nanoTime();
        Ndis.setTimerObject(timer, -10_000, 0, null); // 1 ms, relative
        Ndis.waitEvent(fired, 0);
        seen.add("timer fired after " + (at[0] - set));
        Ndis.freeTimerObject(timer);

        NdisEvent ran = Ndis.initializeEvent();
        NdisIoWorkItem item = null;
        while (item == null) {
            item = Ndis.allocateIoWorkItem(adapter);
        }
        long queued = kernel.nanoTime();
        Ndis.queueIoWorkItem(
                item,
                (Object c, NdisIoWorkItem self) -> {
                    at[0] = kernel.nanoTime();
                    Ndis.setEvent(ran);
                },
                null);
        Ndis.waitEvent(ran, 0);
        seen.add("work item started after " + (at[0] - queued));
        Ndis.freeIoWorkItem(item);

        pnp.removeDevice(adapter);
        kernel.close();
    }

    private static SimulationOptions options(long seed, double rate, Path traces) {
        return SimulationOptions.seed("FaultsTest", seed).withFaults(rate).withTraceDirectory(traces);
    }

    private static List<String> faultLines(SimulationResult r) throws Exception {
        return Files.readAllLines(r.trace()).stream()
                .filter(l -> l.contains("\"what\":\"fault:"))
                .toList();
    }

    @Test
    void noFaultHappensWhenTheyAreOff(@TempDir Path dir) throws Exception {
        for (long seed = 1; seed <= 15; seed++) {
            List<String> seen = new ArrayList<>();
            SimulationResult r = run(options(seed, 0, dir), seen);
            assertThat(r.failure()).contains(ON_PURPOSE);
            assertThat(seen)
                    .as("seed %d", seed)
                    .doesNotContain("work item NULL", "timer NULL", "pool NULL", "NBL NULL")
                    .contains("slept 1000000", "timer fired after 1000000", "work item started after 0");
            assertThat(faultLines(r)).isEmpty();
        }
    }

    @Test
    void eachKindHappensUnderSomeSeedAndIsAChoiceLine(@TempDir Path dir) throws Exception {
        boolean workItemNull = false;
        boolean timerNull = false;
        boolean poolNull = false;
        boolean nblNull = false;
        boolean overslept = false;
        boolean late = false;
        boolean delayed = false;
        for (long seed = 1; seed <= 30; seed++) {
            List<String> seen = new ArrayList<>();
            SimulationResult r = run(options(seed, 0.25, dir), seen);
            assertThat(r.failure()).contains(ON_PURPOSE);
            List<String> lines = String.join("\n", faultLines(r)).lines().toList();
            assertThat(lines).as("every decision is a choice line").isNotEmpty();
            workItemNull |= seen.contains("work item NULL");
            timerNull |= seen.contains("timer NULL");
            poolNull |= seen.contains("pool NULL");
            nblNull |= seen.contains("NBL NULL");
            long slept = value(seen, "slept ");
            long timer = value(seen, "timer fired after ");
            long work = value(seen, "work item started after ");
            assertThat(slept).isBetween(1_000_000L, 2_000_000L);
            assertThat(timer).isBetween(1_000_000L, 11_000_000L);
            assertThat(work).isBetween(0L, 5_000_000L);
            overslept |= slept > 1_000_000;
            late |= timer > 1_000_000;
            delayed |= work > 0;
            if (seen.contains("work item NULL")) {
                assertThat(lines).anyMatch(l -> l.contains("fault:alloc:IO_WORK_ITEM"));
            }
            if (seen.contains("pool NULL")) {
                assertThat(lines).anyMatch(l -> l.contains("fault:alloc:NET_BUFFER_LIST_POOL"));
            }
            if (seen.contains("NBL NULL")) {
                assertThat(lines)
                        .anyMatch(l -> l.contains("fault:alloc:NET_BUFFER_LIST\"")
                                || l.contains("fault:alloc:NET_BUFFER_AND_NET_BUFFER_LIST"));
            }
            if (slept > 1_000_000) {
                assertThat(lines).anyMatch(l -> l.contains("\"fault:oversleep:delay\""));
            }
            if (work > 0) {
                assertThat(lines).anyMatch(l -> l.contains("\"fault:delayed-work-item:delay\""));
            }
        }
        assertThat(workItemNull).as("a failed NdisAllocateIoWorkItem").isTrue();
        assertThat(timerNull).as("a failed NdisAllocateTimerObject").isTrue();
        assertThat(poolNull).as("a failed NdisAllocateNetBufferListPool").isTrue();
        assertThat(nblNull)
                .as("a failed NdisAllocateNetBufferList(AndNetBuffer)")
                .isTrue();
        assertThat(overslept).as("an NdisMSleep that overslept").isTrue();
        assertThat(late).as("a late timer").isTrue();
        assertThat(delayed).as("a delayed work item").isTrue();
    }

    @Test
    void theSameSeedAndItsTraceReplayTheFaults(@TempDir Path dir) throws Exception {
        for (long seed = 1; seed <= 30; seed++) {
            List<String> seen = new ArrayList<>();
            SimulationResult r = run(options(seed, 0.25, dir), seen);
            if (!seen.contains("work item NULL") || value(seen, "timer fired after ") == 1_000_000) {
                continue;
            }
            List<String> again = new ArrayList<>();
            SimulationResult bySeed = run(options(seed, 0.25, dir.resolve("again")), again);
            assertThat(again).isEqualTo(seen);
            assertThat(bySeed.eventLogSha256()).isEqualTo(r.eventLogSha256());

            List<String> replayed = new ArrayList<>();
            SimulationResult byTrace =
                    run(options(0, 0.25, dir.resolve("replay")).withReplay(r.trace()), replayed);
            assertThat(byTrace.failure()).isEqualTo(r.failure()).doesNotContain("diverged");
            assertThat(replayed).isEqualTo(seen);
            assertThat(byTrace.eventLogSha256()).isEqualTo(r.eventLogSha256());
            return;
        }
        throw new AssertionError("no seed of 1..30 had both a failed allocation and a late timer");
    }

    private static long value(List<String> seen, String prefix) {
        return seen.stream()
                .filter(s -> s.startsWith(prefix))
                .mapToLong(s -> Long.parseLong(s.substring(prefix.length())))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' in " + seen));
    }
}
