package org.ndis4j.kernel;

/**
 * What the time-out of a wait means ({@link Kernel#waitFor}). The threaded scheduler treats both
 * alike; a deterministic scheduler on virtual time tells them apart: a WORK time-out is part of what
 * the code does (NdisWaitEvent with a time-out, the OID grace before a halt) and virtual time jumps to
 * it, while a WATCHDOG time-out only says that the machine hangs (the NDIS watchdog, a host waiting for
 * a PnP operation) and fires only when nothing else can run.
 */
public enum WaitKind {
    /** The time-out is semantics: what the code does when it passes. */
    WORK,
    /** The time-out only detects a hang. */
    WATCHDOG
}
