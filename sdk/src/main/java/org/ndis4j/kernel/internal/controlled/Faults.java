package org.ndis4j.kernel.internal.controlled;

/**
 * The run's seeded faults (off unless the run's fault rate is above 0): whether a fault happens at a
 * point that may fail or be late, and how late, drawn from a stream of the iteration's seed apart
 * from scheduling and data choices. The world writes every decision to the trace as a choice line,
 * so a replay takes the same ones.
 */
final class Faults {

    /** A decision is a draw in [0, SCALE); it faults below the rate's share of it. */
    static final int SCALE = 10_000;

    /** At most this many 100-ns units of lateness per decision (about 3.6 minutes of virtual time). */
    private static final long MAX_UNITS = Integer.MAX_VALUE;

    private final Rng rng;
    private final int threshold;

    Faults(long seed, double rate) {
        this.rng = Rng.faults(seed);
        this.threshold = (int) Math.round(rate * SCALE);
    }

    boolean enabled() {
        return threshold > 0;
    }

    /** A draw in [0, bound). */
    int draw(int bound) {
        return rng.nextInt(bound);
    }

    /** True when a decision's draw means the fault happens. */
    boolean faults(int value) {
        return value < threshold;
    }

    /** The bound of a lateness draw for at most {@code maxNanos}: one per 100 ns. */
    static int unitsBound(long maxNanos) {
        return (int) Math.max(1, Math.min(MAX_UNITS, maxNanos / 100));
    }
}
