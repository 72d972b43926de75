package org.ndis4j.kernel.internal.controlled;

/**
 * Decides which of the enabled actions runs at a choice step (a step where more than one could).
 * Actions are context indexes, or a processor's index with {@link World#ISR} for an interrupt that
 * preempts it; {@code actions} lists them in context order. {@link World#pickingFor()} is the
 * context that reached the point.
 */
interface Strategy {

    /** The index into {@code actions[0..count)} to run; {@code step} and {@code by}/{@code site} say where. */
    int pick(int[] actions, int count, long step, long choiceStep, String by, String site, World world);

    /** A data choice in {@code [0, bound)} ({@code what} names it: which processor takes an interrupt). */
    int choose(String what, int bound, long step);

    /** For the trace header: "random", "pct(d=2,k=41,changes=[23])", "replay". */
    String describe();

    /**
     * Context {@code context} woke from a sleep or stall that ran out: it waited for the others (a
     * poll), so PCT lowers it as Coyote lowers a yielding operation.
     */
    default void yielded(int context) {}

    /** The strategy a world's settings name (the trace's replayer aside). */
    static Strategy of(WorldSettings settings) {
        StrategySettings s = settings.strategy();
        long seed = settings.seed();
        return switch (s.name()) {
            case "random" -> new RandomWalk(seed);
            case "pct" -> new FairFallback(new Pct(seed, s.depth(), s.learnedChoiceSteps()), seed, s.fairAfter());
            case "probabilistic" -> new FairFallback(new Probabilistic(seed, s.bias()), seed, s.fairAfter());
            default -> throw new IllegalArgumentException("no strategy named '" + s.name() + "'");
        };
    }
}
