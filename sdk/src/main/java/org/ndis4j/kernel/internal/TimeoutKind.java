package org.ndis4j.kernel.internal;

/**
 * What a deadline means to the scheduler. The threaded scheduler treats both alike; a deterministic
 * one on virtual time moves the clock to a {@link #WORK} deadline when nothing else can run, while a
 * {@link #WATCHDOG} deadline only fires when time passes it anyway.
 */
public enum TimeoutKind {
    /** The time-out is semantics: a timer, a sleep, a wait with a time-out the code relies on. */
    WORK,
    /** The time-out only detects a hang. */
    WATCHDOG
}
