package org.ndis4j.examples.vmini;

import org.ndis4j.testing.DeterministicTest;
import org.ndis4j.testing.KernelOptions;

/**
 * Every vmini scenario on the in-memory wire ({@link VminiScenarios} and {@link VminiInMemoryTest}),
 * unchanged, under the deterministic scheduler: both kernels, both NICs' timers and the wire run in
 * one seeded run on virtual time. Each test runs a few fixed seeds in {@code verify};
 * {@code -Dndis4j.det.iterations} and {@code -Dndis4j.det.seed} explore more
 * (docs/deterministic.md).
 */
@DeterministicTest(iterations = 3, seed = "0x15")
@KernelOptions(processors = 2, criticalWorkers = 2, delayedWorkers = 1)
class VminiInMemoryDeterministicTest extends VminiInMemoryTest {}
