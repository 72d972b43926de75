package org.ndis4j.kernel;

/** How a deterministic run picks among the contexts that may run. See {@link Exploration} for the parameters. */
public enum ExplorationStrategy {
    /** Uniformly at random, from the iteration's seed. */
    RANDOM,
    /**
     * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): random priorities, the
     * highest-priority enabled context runs, and at {@code depth − 1} change points drawn over the
     * schedule length learned from earlier iterations the running one drops to the bottom. Finds a
     * bug of depth {@code d} with probability at least 1/(n·k^(d−1)) per run.
     */
    PCT,
    /** Sticky random: the running context goes on with probability 1 − 2^−bias, else a uniform pick. */
    PROBABILISTIC
}
