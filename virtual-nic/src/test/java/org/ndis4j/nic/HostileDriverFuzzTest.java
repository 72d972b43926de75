package org.ndis4j.nic;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.util.LeakPresenceDetector;
import org.ndis4j.wire.InMemoryWire;

/**
 * Coverage-guided fuzzing of the NIC's driver-facing interface: a hostile driver writes any register
 * at any offset with any value, programs rings anywhere (any base, any size, head and tail anywhere),
 * writes descriptors with any address and length, rings doorbells, resets and enables the units,
 * frees memory under the device, talks to its PHY, while its wire peer sends frames of any length and
 * the clock moves. Two NICs share one bus, with canary blocks between their memory; the neighbour is
 * driven correctly. After every step:
 *
 * <ul>
 *   <li>no exception escaped the device (a register access, a frame from the wire, a timer);</li>
 *   <li>neither device DMA'd outside the memory its driver allocated ({@link BusAnalyser}), and
 *       every canary is intact;</li>
 *   <li>faults became status and counters: each descriptor the device consumed has DONE and at most
 *       one error bit, and the counters moved by exactly those outcomes; a ring that became unusable
 *       is flagged in STATUS (and cannot be mapped), and stays flagged until reprogrammed; every frame
 *       from the wire (or the PHY loopback) is counted once; every raise of the line is counted;</li>
 *   <li>head and tail stay inside a usable ring;</li>
 *   <li>the neighbour still exchanges a numbered frame each way, with no error counted.</li>
 * </ul>
 *
 * Deterministic: {@link InMemoryWire} delivers on the sender's thread, the {@link ManualDeviceTimer}
 * moves only when the input says so. Regression inputs live in
 * {@code src/test/resources/org/ndis4j/nic/HostileDriverFuzzTestInputs/}.
 *
 * <p>This file is the target only; the machine is {@link HostileMachine}, the driver's actions
 * {@link HostileDriver} (with the values it picks, {@link HostileValues}), the properties {@link
 * HostileDriverChecks}.
 */
class HostileDriverFuzzTest {

    private static final int MAX_STEPS = 64;

    @FuzzTest(maxDuration = "60s")
    void deviceSurvivesAnyDriver(FuzzedDataProvider data) {
        try (HostileMachine machine = new HostileMachine()) {
            if (data.consumeBoolean()) {
                machine.bringUp();
            }
            for (int steps = 0; data.remainingBytes() > 0 && steps < MAX_STEPS; steps++) {
                machine.step(data);
            }
        }
        LeakPresenceDetector.check();
    }
}
