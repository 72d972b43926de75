package org.ndis4j.kernel.internal.controlled;

/**
 * The random walk: every choice step picks uniformly among the enabled actions, from a stream seeded
 * by the iteration's seed. Data choices come from a stream of their own, so that a change in the
 * number of scheduling choices does not shift them.
 */
final class RandomWalk implements Strategy {

    private final Rng schedule;
    private final Rng data;

    RandomWalk(long seed) {
        this.schedule = Rng.schedule(seed);
        this.data = Rng.data(seed);
    }

    @Override
    public int pick(int[] actions, int count, long step, long choiceStep, String by, String site, World world) {
        return schedule.nextInt(count);
    }

    @Override
    public int choose(String what, int bound, long step) {
        return data.nextInt(bound);
    }

    @Override
    public String describe() {
        return "random";
    }
}
