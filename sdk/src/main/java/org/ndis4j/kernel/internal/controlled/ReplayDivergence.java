package org.ndis4j.kernel.internal.controlled;

/** A replayed run left its trace: the message says at which step and how. */
final class ReplayDivergence extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ReplayDivergence(String message) {
        super(message, null, false, false);
    }
}
