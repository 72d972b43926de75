package org.ndis4j.examples.vmini;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * vmini's check-for-hang test of one ring, tick by tick: a busy ring is never stuck however its
 * index moves, a wedged one is stuck after {@link VminiRingWatch#STUCK_CHECKS} whole periods.
 */
class VminiRingWatchTest {

    /** The default ring: 256 descriptors. */
    private static final int RING = VminiConfiguration.DEFAULT_RING_SIZE;

    private static void reap(VminiRingWatch watch, int descriptors) {
        for (int i = 0; i < descriptors; i++) {
            watch.reaped();
        }
    }

    @Test
    void aBusyRingThatReapsExactlyARingsWorthBetweenChecksIsNotStuck() {
        // SoakIT's reset: work pending at every check, and between two of them exactly 256 reaps, so
        // that the reap index was back where it was. An index compare called that "nothing reaped".
        VminiRingWatch watch = new VminiRingWatch();
        for (int tick = 0; tick < 10; tick++) {
            assertThat(watch.check(true)).as("check %d", tick).isFalse();
            reap(watch, RING * (1 + tick % 3));
        }
    }

    @Test
    void aRingWithWorkAndNoReapForTwoWholePeriodsIsStuck() {
        VminiRingWatch watch = new VminiRingWatch();
        reap(watch, 5);
        assertThat(watch.check(true)).as("work seen for the first time").isFalse();
        assertThat(watch.check(true)).as("one period without a reap").isFalse();
        assertThat(watch.check(true)).as("two periods without a reap").isTrue();
        assertThat(watch.check(true)).as("and on, until a reset").isTrue();
    }

    @Test
    void oneLongStallOfAProgressingRingIsNotAWedge() {
        VminiRingWatch watch = new VminiRingWatch();
        watch.check(true);
        assertThat(watch.check(true))
                .as("a period without a reap (a GC pause, a starved DPC)")
                .isFalse();
        watch.reaped(); // and it moves again
        assertThat(watch.check(true)).isFalse();
        assertThat(watch.check(true)).isFalse();
        assertThat(watch.check(true)).as("two periods without a reap again").isTrue();
    }

    @Test
    void anIdleRingIsNeverStuck() {
        VminiRingWatch watch = new VminiRingWatch();
        for (int tick = 0; tick < 5; tick++) {
            assertThat(watch.check(false)).isFalse();
        }
        assertThat(watch.check(true)).as("work arrived just before this check").isFalse();
        reap(watch, 1);
        assertThat(watch.check(false)).isFalse();
    }

    @Test
    void aRestartForgetsWhatTheChecksSaw() {
        VminiRingWatch watch = new VminiRingWatch();
        watch.check(true);
        watch.check(true);
        watch.restart(); // the reset programmed the ring again
        assertThat(watch.check(true)).isFalse();
        assertThat(watch.check(true)).isFalse();
        assertThat(watch.check(true)).isTrue();
    }
}
