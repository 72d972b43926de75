package org.ndis4j.kernel;

import java.util.Locale;

/**
 * A strategy with its parameters, as a seed token writes it: {@code random}, {@code pct(d=2,k=41)},
 * {@code probabilistic(b=3)}. A failure prints {@code <token>/<seed>}; giving that back as the seed
 * replays the run (PCT needs {@code k}, the learned schedule length its change points were drawn over).
 *
 * @param strategy which strategy
 * @param depth PCT's depth d: d − 1 change points per run (ignored by the others)
 * @param bias the probabilistic strategy's b: it switches with probability 2^−b (ignored by the others)
 * @param learnedChoiceSteps PCT's k: the most choice steps an earlier iteration of the run took (0 in
 *     the first iteration: no change points, a pure priority schedule)
 * @param fairAfter after this many choice steps of one run, the random walk takes over (a spin loop
 *     starves lower priorities otherwise); 0: the default, max(1,000, 10·k); ignored by the random walk
 */
public record Exploration(ExplorationStrategy strategy, int depth, int bias, long learnedChoiceSteps, long fairAfter) {

    public static final int DEFAULT_DEPTH = 2;
    public static final int DEFAULT_BIAS = 3;

    public Exploration {
        if (strategy == null) {
            throw new IllegalArgumentException("no strategy");
        }
        if (depth < 1) {
            throw new IllegalArgumentException("PCT's depth is at least 1, not " + depth);
        }
        if (bias < 1 || bias > 30) {
            throw new IllegalArgumentException("the probabilistic strategy's bias is in 1..30, not " + bias);
        }
        if (learnedChoiceSteps < 0 || fairAfter < 0) {
            throw new IllegalArgumentException(
                    "k and fairAfter are not negative: k=" + learnedChoiceSteps + ", fairAfter=" + fairAfter);
        }
    }

    public static Exploration random() {
        return new Exploration(ExplorationStrategy.RANDOM, DEFAULT_DEPTH, DEFAULT_BIAS, 0, 0);
    }

    public static Exploration pct(int depth) {
        return new Exploration(ExplorationStrategy.PCT, depth, DEFAULT_BIAS, 0, 0);
    }

    public static Exploration probabilistic(int bias) {
        return new Exploration(ExplorationStrategy.PROBABILISTIC, DEFAULT_DEPTH, bias, 0, 0);
    }

    /** {@code strategy} with the annotation's {@code depth} and {@code bias}. */
    public static Exploration of(ExplorationStrategy strategy, int depth, int bias) {
        return new Exploration(strategy, depth, bias, 0, 0);
    }

    public Exploration withLearnedChoiceSteps(long k) {
        return new Exploration(strategy, depth, bias, k, fairAfter);
    }

    public Exploration withFairAfter(long choiceSteps) {
        return new Exploration(strategy, depth, bias, learnedChoiceSteps, choiceSteps);
    }

    /**
     * What the next iteration of the same run uses: {@code k} grows to the longest schedule seen
     * ({@code result}'s choice steps), as PCT spreads its change points over it. A run the fair
     * fallback finished teaches nothing: its length is a spin loop's, and learning it would push
     * the next fair bound (10·k) up tenfold each time.
     */
    public Exploration learnedFrom(SimulationResult result) {
        return result.fairFallback() || result.choiceSteps() <= learnedChoiceSteps
                ? this
                : withLearnedChoiceSteps(result.choiceSteps());
    }

    /** The fair bound in effect: {@link #fairAfter} or the default max(1,000, 10·k). */
    public long fairBound() {
        return fairAfter > 0 ? fairAfter : Math.max(1_000, 10 * learnedChoiceSteps);
    }

    /** The token: "random", "pct(d=2,k=41)", "probabilistic(b=3)" (with ",fair=N" when set). */
    public String token() {
        String fair = fairAfter > 0 ? ",fair=" + fairAfter : "";
        return switch (strategy) {
            case RANDOM -> "random";
            case PCT -> "pct(d=" + depth + ",k=" + learnedChoiceSteps + fair + ")";
            case PROBABILISTIC -> "probabilistic(b=" + bias + fair + ")";
        };
    }

    @Override
    public String toString() {
        return token();
    }

    /**
     * Parses a token: a strategy name ("pct", "PCT", "probabilistic", "random") optionally followed
     * by parameters in parentheses ("pct(d=3)", "pct(d=2,k=41)", "probabilistic(b=2)",
     * "pct(d=2,fair=500)"); a seed token's part before the '/'. Unnamed parameters keep their
     * defaults.
     */
    public static Exploration parse(String text) {
        String s = text.trim();
        int open = s.indexOf('(');
        String name = (open < 0 ? s : s.substring(0, open)).trim().toUpperCase(Locale.ROOT);
        ExplorationStrategy strategy = null;
        for (ExplorationStrategy candidate : ExplorationStrategy.values()) {
            if (candidate.name().equals(name)) {
                strategy = candidate;
            }
        }
        if (strategy == null) {
            throw new IllegalArgumentException(
                    "'" + text + "' names no strategy (known: random, pct(d=2,k=0), probabilistic(b=3))");
        }
        int depth = DEFAULT_DEPTH;
        int bias = DEFAULT_BIAS;
        long k = 0;
        long fair = 0;
        if (open >= 0) {
            if (!s.endsWith(")")) {
                throw new IllegalArgumentException("'" + text + "': the parameters end with ')'");
            }
            String params = s.substring(open + 1, s.length() - 1).trim();
            for (String p : params.isEmpty() ? new String[0] : params.split(",")) {
                int eq = p.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("'" + text + "': '" + p.trim() + "' is no name=value");
                }
                String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                long value;
                try {
                    value = Long.parseLong(p.substring(eq + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "': " + key + " is no number");
                }
                switch (key) {
                    case "d", "depth" -> depth = (int) Math.min(Integer.MAX_VALUE, value);
                    case "b", "bias" -> bias = (int) Math.min(Integer.MAX_VALUE, value);
                    case "k" -> k = value;
                    case "fair" -> fair = value;
                    default ->
                        throw new IllegalArgumentException(
                                "'" + text + "': unknown parameter '" + key + "' (known: d, b, k, fair)");
                }
            }
        }
        return new Exploration(strategy, depth, bias, k, fair);
    }
}
