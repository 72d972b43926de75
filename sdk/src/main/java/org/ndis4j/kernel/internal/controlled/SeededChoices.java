package org.ndis4j.kernel.internal.controlled;

/**
 * The run's data choices and fault decisions: a value the test asks the strategy to choose, and
 * whether a point that may fail fails (and how late a late timer is), drawn from the seed and
 * written to the trace so that a replay makes the same ones. Apart from {@link World} because these
 * are choices about data, not about which context runs; they share only the trace and the replay.
 */
final class SeededChoices {

    private final World world;
    private final Faults faults;

    SeededChoices(World world, Faults faults) {
        this.world = world;
        this.faults = faults;
    }

    int choose(String what, int bound) {
        Context me = world.enter(what);
        if (bound <= 1) {
            return 0;
        }
        int value;
        try {
            value = world.strategy().choose(what, bound, world.steps());
        } catch (ReplayDivergence d) {
            world.fail(d.getMessage());
            throw world.aborted(me);
        }
        world.trace().choice(world.steps(), what, bound, value);
        world.log().event(world.now(), me.id, "choose " + what + " " + value + "/" + bound);
        return value;
    }

    /**
     * A seeded fault decision at a point that may fail ({@code kind}: "alloc:IO_WORK_ITEM"): false at
     * once when the run has no faults; otherwise a choice line "fault:KIND" in the trace, replayed.
     */
    boolean fault(String kind) {
        if (!faults.enabled()) {
            return false;
        }
        return faults.faults(faultChoice("fault:" + kind, Faults.SCALE));
    }

    /**
     * How much later than asked something happens ({@code kind}: "late-timer"): 0 when the run has
     * no faults or the decision says no; else 100 ns to {@code maxNanos}, drawn as a second choice
     * line "fault:KIND:delay" (in 100-ns units).
     */
    long faultDelay(String kind, long maxNanos) {
        if (!fault(kind)) {
            return 0;
        }
        return (faultChoice("fault:" + kind + ":delay", Faults.unitsBound(maxNanos)) + 1L) * 100;
    }

    private int faultChoice(String what, int bound) {
        Context me = world.enter(what);
        int value;
        if (world.strategy() instanceof Replayer) {
            try {
                value = world.strategy().choose(what, bound, world.steps());
            } catch (ReplayDivergence d) {
                world.fail(d.getMessage());
                throw world.aborted(me);
            }
        } else {
            value = faults.draw(bound);
        }
        world.trace().choice(world.steps(), what, bound, value);
        if (what.endsWith(":delay") || faults.faults(value)) {
            world.log().event(world.now(), me.id, what + " " + value);
        }
        return value;
    }
}
