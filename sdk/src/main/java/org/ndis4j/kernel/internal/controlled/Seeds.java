package org.ndis4j.kernel.internal.controlled;

import java.security.SecureRandom;

/** Master seeds and the seeds of iterations derived from them. */
public final class Seeds {

    private Seeds() {}

    /** A fresh master seed (printed with every failure, so the run can be repeated). */
    public static long fresh() {
        return new SecureRandom().nextLong();
    }

    /** Iteration {@code i}'s seed: iteration 0 runs the master seed itself, so a seed replays as iteration 0. */
    public static long iteration(long master, int i) {
        return Rng.iterationSeed(master, i);
    }

    /** "0x2a", "2A" (hex) or a token "random/0x2a": the seed it names. */
    public static long parse(String text) {
        String s = text.trim();
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        try {
            return Long.parseUnsignedLong(s, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a seed (hex, like 0x2a): '" + text + "'");
        }
    }

    public static String hex(long seed) {
        return TraceWriter.hex(seed);
    }
}
