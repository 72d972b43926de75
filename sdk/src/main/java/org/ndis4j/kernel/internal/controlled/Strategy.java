package org.ndis4j.kernel.internal.controlled;

/**
 * Decides which of the enabled actions runs at a choice step (a step where more than one could).
 * Actions are context indexes, or a processor's index with {@link World#ISR} for an interrupt that
 * preempts it; {@code actions} lists them in context order.
 */
interface Strategy {

    /** The index into {@code actions[0..count)} to run; {@code step} and {@code by}/{@code site} say where. */
    int pick(int[] actions, int count, long step, long choiceStep, String by, String site, World world);

    /** A data choice in {@code [0, bound)} ({@code what} names it: which processor takes an interrupt). */
    int choose(String what, int bound, long step);

    /** For the trace header: "random", "replay". */
    String describe();
}
