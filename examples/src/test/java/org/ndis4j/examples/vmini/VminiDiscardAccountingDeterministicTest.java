package org.ndis4j.examples.vmini;

import org.ndis4j.testing.DeterministicTest;
import org.ndis4j.testing.KernelOptions;

/**
 * {@link VminiDiscardAccountingTest}, unchanged, under the deterministic scheduler: the pause, the
 * shutdown and the late interrupt meet the DPCs and the wire where the seed puts them. A few fixed
 * seeds in {@code verify}; {@code -Dndis4j.det.iterations} and {@code -Dndis4j.det.seed} explore
 * more (docs/deterministic.md).
 */
@DeterministicTest(iterations = 3, seed = "0xd15c")
@KernelOptions(processors = 2, criticalWorkers = 2, delayedWorkers = 1)
class VminiDiscardAccountingDeterministicTest extends VminiDiscardAccountingTest {}
