package org.ndis4j.kernel.internal.controlled;

/**
 * Which strategy a world runs and its parameters (the public {@code Exploration}, seen from inside).
 *
 * @param name "random", "pct" or "probabilistic"
 * @param depth PCT's d
 * @param bias the probabilistic strategy's b
 * @param learnedChoiceSteps PCT's k (0: no change points)
 * @param fairAfter choice steps after which the random walk takes over (PCT, probabilistic)
 * @param token the seed token's strategy part, "pct(d=2,k=41)"
 */
public record StrategySettings(
        String name, int depth, int bias, long learnedChoiceSteps, long fairAfter, String token) {

    public static final StrategySettings RANDOM = new StrategySettings("random", 2, 3, 0, 0, "random");
}
