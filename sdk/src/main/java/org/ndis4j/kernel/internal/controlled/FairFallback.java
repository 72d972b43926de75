package org.ndis4j.kernel.internal.controlled;

/**
 * Wraps an unfair strategy (PCT, the probabilistic one): after {@code fairAfter} choice steps of a
 * run it hands every further choice to a random walk, and says so in the trace and the event log.
 * Without it a context that spins on a flag through NDIS calls (a driver polling under a spin lock)
 * keeps the highest priority forever and the context that would set the flag never runs.
 */
final class FairFallback implements Strategy {

    private final Strategy unfair;
    private final Rng fair;
    private final long fairAfter;
    private boolean falling;

    FairFallback(Strategy unfair, long seed, long fairAfter) {
        this.unfair = unfair;
        this.fair = Rng.fair(seed);
        this.fairAfter = fairAfter;
    }

    Strategy unfair() {
        return unfair;
    }

    /** True once the random walk has taken over. */
    boolean fallen() {
        return falling;
    }

    @Override
    public int pick(int[] actions, int count, long step, long choiceStep, String by, String site, World world) {
        if (!falling && choiceStep > fairAfter) {
            falling = true;
            world.note(
                    step,
                    choiceStep,
                    "fair fallback: " + fairAfter + " choice steps passed, the random walk" + " takes over from "
                            + unfair.describe());
        }
        return falling ? fair.nextInt(count) : unfair.pick(actions, count, step, choiceStep, by, site, world);
    }

    @Override
    public int choose(String what, int bound, long step) {
        return unfair.choose(what, bound, step);
    }

    @Override
    public void yielded(int context) {
        unfair.yielded(context);
    }

    @Override
    public String describe() {
        return unfair.describe().replaceFirst("\\)$", ",fairAfter=" + fairAfter + ")");
    }
}
