/**
 * The deterministic scheduler: one world per run, whose contexts (processors, system workers, the
 * clock of each kernel, the hardware, the test thread) are platform threads of which only the one
 * holding the turn runs. At every scheduling point the running context computes the contexts that
 * may run under the IRQL rules ({@code EnabledSet}), asks the
 * seeded strategy, and hands the turn on or keeps it. Time is virtual and moves only when nothing can
 * run. Every choice goes to a trace that replays the run; a human-readable event log with logical ids
 * and virtual time is hashed. Reached only through the kernel's {@code Simulation}; see
 * docs/deterministic.md.
 */
package org.ndis4j.kernel.internal.controlled;
