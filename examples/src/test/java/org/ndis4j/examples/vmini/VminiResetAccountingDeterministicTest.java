package org.ndis4j.examples.vmini;

import org.ndis4j.testing.DeterministicTest;
import org.ndis4j.testing.KernelOptions;

/**
 * {@link VminiResetAccountingTest}, unchanged, under the deterministic scheduler: both kernels, both
 * NICs' timers (check-for-hang included) and the wire in one seeded run on virtual time, so that the
 * reset lands at a point of the traffic the seed picks and the same seed lands it there again. A few
 * fixed seeds in {@code verify}; {@code -Dndis4j.det.iterations} and {@code -Dndis4j.det.seed}
 * explore more (docs/deterministic.md).
 */
@DeterministicTest(iterations = 4, seed = "0x5e7")
@KernelOptions(processors = 2, criticalWorkers = 2, delayedWorkers = 1)
class VminiResetAccountingDeterministicTest extends VminiResetAccountingTest {}
