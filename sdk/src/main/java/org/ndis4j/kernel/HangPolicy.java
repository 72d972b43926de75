package org.ndis4j.kernel;

/** What a deterministic run does when nothing can run and only watchdog deadlines are pending. */
public enum HangPolicy {
    /** Report a deadlock that names every context and what it waits for. */
    REPORT_DEADLOCK,
    /** Move the clock to the next watchdog (the DPC watchdog, NDIS's watchdog) and let it fire. */
    FIRE_WATCHDOGS
}
