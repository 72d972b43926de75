package org.ndis4j.ndis;

import org.ndis4j.kernel.HangPolicy;
import org.ndis4j.testing.DeterministicTest;

/**
 * Every test of {@link CheckForHangAndResetTest} on virtual time under the deterministic scheduler, with
 * {@link HangPolicy#FIRE_WATCHDOGS}: when only watchdog deadlines are left the clock jumps to them,
 * so a hung driver call ends in NDIS's watchdog bug check as on a real machine, not in a deadlock
 * report.
 */
@DeterministicTest(iterations = 2, seed = "0x7c", hangs = HangPolicy.FIRE_WATCHDOGS)
class CheckForHangAndResetDeterministicTest extends CheckForHangAndResetTest {}
