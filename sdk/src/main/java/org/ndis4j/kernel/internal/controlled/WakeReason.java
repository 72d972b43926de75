package org.ndis4j.kernel.internal.controlled;

/** Why a blocked context runs again. */
enum WakeReason {
    /** What it waited for happened (an event set, a task queued, a lock let go, a thread ended). */
    READY,
    /** Its deadline passed on the virtual clock. */
    TIMED_OUT,
    /** Its thread was interrupted (the kernel stops its threads, a watchdog interrupts one). */
    INTERRUPTED,
    /** Its machine bug-checked: a spin or a stall ends with the crash. */
    CRASHED
}
