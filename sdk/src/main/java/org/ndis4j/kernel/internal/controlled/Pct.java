package org.ndis4j.kernel.internal.controlled;

import java.util.Arrays;

/**
 * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010), as Coyote's PCT strategy runs
 * it: every action gets a random place in a priority list the first time it is enabled, and each
 * choice step runs the highest-priority enabled action. Before the run, d − 1 change points are
 * drawn without replacement from the choice steps [1, k], k being the longest run of earlier
 * iterations (the first iteration has k = 0: no change points); at a change point the action that
 * would run drops to the bottom. A context that woke from a sleep or stall that ran out (a poll)
 * drops to the bottom too. A bug of depth d is found with probability at least 1/(n·k^(d−1)).
 */
final class Pct implements Strategy {

    private final Rng schedule;
    private final Rng data;
    private final int depth;
    private final long k;
    /** Choice steps (1-based) where the top action is lowered, ascending. */
    private final long[] changePoints;

    private int nextChange;
    /** The priority list, highest first. */
    private int[] order = new int[16];

    private int size;
    /** Per action slot (context index · 2, + 1 for its interrupt), whether it has a place yet. */
    private boolean[] placed = new boolean[32];

    Pct(long seed, int depth, long learnedChoiceSteps) {
        this.schedule = Rng.schedule(seed);
        this.data = Rng.data(seed);
        this.depth = depth;
        this.k = learnedChoiceSteps;
        this.changePoints = drawChangePoints(schedule, (int) Math.min(depth - 1L, k), k);
    }

    /** {@code n} distinct values of [1, k], ascending (Floyd's sampling: n draws, whatever k is). */
    private static long[] drawChangePoints(Rng rng, int n, long k) {
        long[] chosen = new long[n];
        int count = 0;
        for (long j = k - n + 1; j <= k; j++) {
            long t = 1 + nextLong(rng, j);
            boolean taken = false;
            for (int i = 0; i < count; i++) {
                taken |= chosen[i] == t;
            }
            chosen[count++] = taken ? j : t;
        }
        Arrays.sort(chosen);
        return chosen;
    }

    /** Uniform in [0, bound) for a long bound. */
    private static long nextLong(Rng rng, long bound) {
        if (bound <= Integer.MAX_VALUE) {
            return rng.nextInt((int) bound);
        }
        return Long.remainderUnsigned(rng.nextLong(), bound); // k beyond 2^31 choice steps: bias is moot
    }

    long[] changePoints() {
        return changePoints.clone();
    }

    /** The priority list now, highest first, as action ids of {@code world}. */
    String priorities(World world) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(world.actionId(order[i]));
        }
        return sb.append(']').toString();
    }

    @Override
    public int pick(int[] actions, int count, long step, long choiceStep, String by, String site, World world) {
        for (int i = 0; i < count; i++) {
            place(actions[i]);
        }
        if (nextChange < changePoints.length && changePoints[nextChange] == choiceStep) {
            nextChange++;
            lower(order[highest(actions, count)]);
        }
        int top = order[highest(actions, count)];
        for (int i = 0; i < count; i++) {
            if (actions[i] == top) {
                return i;
            }
        }
        throw new IllegalStateException("PCT lost an enabled action");
    }

    /** The place in {@link #order} of the highest-priority enabled action. */
    private int highest(int[] actions, int count) {
        for (int p = 0; p < size; p++) {
            int a = order[p];
            for (int i = 0; i < count; i++) {
                if (actions[i] == a) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("PCT has no place for any enabled action");
    }

    private static int slot(int action) {
        return ((action & ~World.ISR) << 1) | ((action & World.ISR) != 0 ? 1 : 0);
    }

    /** A new action gets a uniformly random place among the actions known so far. */
    private void place(int action) {
        int slot = slot(action);
        if (slot >= placed.length) {
            placed = Arrays.copyOf(placed, Math.max(placed.length * 2, slot + 1));
        }
        if (placed[slot]) {
            return;
        }
        placed[slot] = true;
        if (size == order.length) {
            order = Arrays.copyOf(order, size * 2);
        }
        int at = schedule.nextInt(size + 1);
        System.arraycopy(order, at, order, at + 1, size - at);
        order[at] = action;
        size++;
    }

    /** Moves {@code action} to the bottom of the list. */
    private void lower(int action) {
        for (int p = 0; p < size; p++) {
            if (order[p] == action) {
                System.arraycopy(order, p + 1, order, p, size - p - 1);
                order[size - 1] = action;
                return;
            }
        }
    }

    @Override
    public void yielded(int context) {
        int slot = slot(context);
        if (slot < placed.length && placed[slot]) {
            lower(context);
        }
    }

    @Override
    public int choose(String what, int bound, long step) {
        return data.nextInt(bound);
    }

    @Override
    public String describe() {
        return "pct(d=" + depth + ",k=" + k + ",changes="
                + Arrays.toString(changePoints).replace(" ", "") + ")";
    }
}
