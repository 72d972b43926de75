package org.ndis4j.kernel;

/** Stop codes the simulated kernel raises, with their real Windows values. */
public enum BugCheckCode {
    IRQL_NOT_LESS_OR_EQUAL(0x0A),
    KMODE_EXCEPTION_NOT_HANDLED(0x1E),
    SYSTEM_THREAD_EXCEPTION_NOT_HANDLED(0x7E),
    INVALID_WORK_QUEUE_ITEM(0x96),
    ATTEMPTED_SWITCH_FROM_DPC(0xB8),
    DRIVER_VERIFIER_DETECTED_VIOLATION(0xC4),
    IRQL_UNEXPECTED_VALUE(0xC8),
    DRIVER_IRQL_NOT_LESS_OR_EQUAL(0xD1),
    WORKER_THREAD_RETURNED_AT_BAD_IRQL(0xE1),
    DPC_WATCHDOG_VIOLATION(0x133),
    /** A crash the test or tool asked for (KeBugCheckEx called by a driver). */
    MANUALLY_INITIATED_CRASH(0xE2);

    private final int code;

    BugCheckCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** "0x000000C4", as a blue screen prints it. */
    public String hex() {
        return String.format("0x%08X", code);
    }
}
