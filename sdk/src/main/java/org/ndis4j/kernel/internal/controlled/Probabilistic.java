package org.ndis4j.kernel.internal.controlled;

/**
 * Sticky random, Coyote's probabilistic strategy: at a choice step the context that reached the
 * point goes on, if it may, with probability 1 − 2^−b; otherwise (or when it may not) the pick is
 * uniform among the other enabled actions. Long runs of one context, few switches: races that
 * need one context to get far before another interleaves.
 */
final class Probabilistic implements Strategy {

    private final Rng schedule;
    private final Rng data;
    private final int bias;

    Probabilistic(long seed, int bias) {
        this.schedule = Rng.schedule(seed);
        this.data = Rng.data(seed);
        this.bias = bias;
    }

    @Override
    public int pick(int[] actions, int count, long step, long choiceStep, String by, String site, World world) {
        return pickFor(world.pickingFor(), actions, count);
    }

    /** The pick when context {@code current} reached the point. */
    int pickFor(int current, int[] actions, int count) {
        int mine = -1;
        for (int i = 0; i < count; i++) {
            if (actions[i] == current) {
                mine = i;
            }
        }
        if (mine < 0) {
            return schedule.nextInt(count);
        }
        if (schedule.nextInt(1 << bias) != 0) {
            return mine;
        }
        int other = schedule.nextInt(count - 1);
        return other >= mine ? other + 1 : other;
    }

    @Override
    public int choose(String what, int bound, long step) {
        return data.nextInt(bound);
    }

    @Override
    public String describe() {
        return "probabilistic(b=" + bias + ")";
    }
}
