package org.ndis4j.examples.vlanfilter;

import org.ndis4j.testing.DeterministicTest;

/**
 * Every test of {@link VlanFilterTest}, unchanged, under the deterministic scheduler: the kernel, the
 * NIC's timers, the in-memory cable and the wire peer run in one seeded run on virtual time, a few
 * fixed seeds each in {@code verify} (docs/deterministic.md).
 */
@DeterministicTest(iterations = 3, seed = "0x15")
class VlanFilterDeterministicTest extends VlanFilterTest {}
