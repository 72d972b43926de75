package org.ndis4j.kernel;

/** How a deterministic run picks among the contexts that may run. */
public enum ExplorationStrategy {
    /** Uniformly at random, from the iteration's seed. */
    RANDOM
}
