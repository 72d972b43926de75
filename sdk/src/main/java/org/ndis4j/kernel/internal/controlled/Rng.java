package org.ndis4j.kernel.internal.controlled;

/**
 * xoshiro256** seeded through SplitMix64 (Blackman and Vigna): the run's own generator, so that a
 * trace does not depend on a JDK's {@code Random} or {@code SplittableRandom}.
 */
final class Rng {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    Rng(long seed) {
        long x = seed;
        s0 = mix(x += GOLDEN);
        s1 = mix(x += GOLDEN);
        s2 = mix(x += GOLDEN);
        s3 = mix(x + GOLDEN);
    }

    /** The stream a strategy draws its scheduling choices from. */
    static Rng schedule(long seed) {
        return new Rng(mix(seed ^ 0x5C4EDL));
    }

    /** The stream of data choices (which processor takes an interrupt), apart from scheduling. */
    static Rng data(long seed) {
        return new Rng(mix(seed ^ 0xDA7AL));
    }

    /** The stream of seeded faults, apart from both. */
    static Rng faults(long seed) {
        return new Rng(mix(seed ^ 0xFA17L));
    }

    /** The stream of the fair fallback's random walk. */
    static Rng fair(long seed) {
        return new Rng(mix(seed ^ 0xFA1EL));
    }

    /** SplitMix64's finaliser: a bijective mix of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Iteration {@code i}'s seed under master seed {@code master}: iteration 0 is the master itself. */
    static long iterationSeed(long master, int i) {
        return i == 0 ? master : mix(master + i * GOLDEN);
    }

    long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, bound), without modulo bias. */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long range = bound;
        long limit = Long.remainderUnsigned(-range, range); // 2^64 mod range
        for (; ; ) {
            long r = nextLong();
            if (Long.compareUnsigned(r, limit) >= 0) {
                return (int) Long.remainderUnsigned(r, range);
            }
        }
    }
}
