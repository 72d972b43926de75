package org.ndis4j.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stop code with its real Windows value. The kernel's own codes are constants; a driver's
 * {@code KeBugCheckEx} may name any 32-bit code ({@link #of(int)}), which the report shows as it is.
 * One instance per value, so codes compare with {@code ==} as well as {@code equals}.
 */
public final class BugCheckCode {

    /** Every code made so far, by value: the constants below, and the ones drivers raised. */
    private static final Map<Integer, BugCheckCode> BY_VALUE = new ConcurrentHashMap<>();

    /** KeRaiseIrql to an IRQL below the current one (the HAL's check). */
    public static final BugCheckCode IRQL_NOT_GREATER_OR_EQUAL = named("IRQL_NOT_GREATER_OR_EQUAL", 0x09);
    /** KeLowerIrql to an IRQL above the current one (the HAL's check). */
    public static final BugCheckCode IRQL_NOT_LESS_OR_EQUAL = named("IRQL_NOT_LESS_OR_EQUAL", 0x0A);

    public static final BugCheckCode KMODE_EXCEPTION_NOT_HANDLED = named("KMODE_EXCEPTION_NOT_HANDLED", 0x1E);
    public static final BugCheckCode SYSTEM_THREAD_EXCEPTION_NOT_HANDLED =
            named("SYSTEM_THREAD_EXCEPTION_NOT_HANDLED", 0x7E);
    /**
     * NDIS found a networking driver breaking its contract; parameter 1 says how (0x25
     * NDIS_BUGCHECK_WATCHDOG: an operation NDIS called a driver for took too long; 0x0F
     * NDIS_BUGCHECK_RESET_COMPLETE_UNEXPECTED; 0x0A NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED).
     */
    public static final BugCheckCode BUGCODE_NDIS_DRIVER = named("BUGCODE_NDIS_DRIVER", 0x7C);

    public static final BugCheckCode INVALID_WORK_QUEUE_ITEM = named("INVALID_WORK_QUEUE_ITEM", 0x96);
    public static final BugCheckCode ATTEMPTED_SWITCH_FROM_DPC = named("ATTEMPTED_SWITCH_FROM_DPC", 0xB8);
    public static final BugCheckCode DRIVER_VERIFIER_DETECTED_VIOLATION =
            named("DRIVER_VERIFIER_DETECTED_VIOLATION", 0xC4);
    /** Memory that held a timer or a DPC still queued was freed (Driver Verifier's pool check). */
    public static final BugCheckCode TIMER_OR_DPC_INVALID = named("TIMER_OR_DPC_INVALID", 0xC7);

    public static final BugCheckCode IRQL_UNEXPECTED_VALUE = named("IRQL_UNEXPECTED_VALUE", 0xC8);
    /**
     * A driver unloaded and left something that runs its code later (a timer still set, a work item
     * still queued); Windows stops when that code is reached in the unloaded image.
     */
    public static final BugCheckCode DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS =
            named("DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS", 0xCE);

    public static final BugCheckCode DRIVER_IRQL_NOT_LESS_OR_EQUAL = named("DRIVER_IRQL_NOT_LESS_OR_EQUAL", 0xD1);
    public static final BugCheckCode WORKER_THREAD_RETURNED_AT_BAD_IRQL =
            named("WORKER_THREAD_RETURNED_AT_BAD_IRQL", 0xE1);
    /** A crash asked for from outside (the keyboard crash, a tool); a driver's KeBugCheckEx keeps its own code. */
    public static final BugCheckCode MANUALLY_INITIATED_CRASH = named("MANUALLY_INITIATED_CRASH", 0xE2);

    public static final BugCheckCode DPC_WATCHDOG_VIOLATION = named("DPC_WATCHDOG_VIOLATION", 0x133);

    private final int code;
    /** The symbolic name, or null for a code only a driver knows. */
    private final String name;

    private BugCheckCode(int code, String name) {
        this.code = code;
        this.name = name;
    }

    private static BugCheckCode named(String name, int code) {
        BugCheckCode made = new BugCheckCode(code, name);
        if (BY_VALUE.putIfAbsent(code, made) != null) {
            throw new ExceptionInInitializerError("two names for bug check " + made.hex());
        }
        return made;
    }

    /** The code with value {@code code}: one of the constants, or a driver's own code. */
    public static BugCheckCode of(int code) {
        return BY_VALUE.computeIfAbsent(code, c -> new BugCheckCode(c, null));
    }

    public int code() {
        return code;
    }

    /** The symbolic name ("DRIVER_VERIFIER_DETECTED_VIOLATION"), or the hex value for a driver's own code. */
    public String name() {
        return name != null ? name : hex();
    }

    /** True when Windows has a name for this code (false for a code only a driver knows). */
    public boolean isNamed() {
        return name != null;
    }

    /** "0x000000C4", as a blue screen prints it. */
    public String hex() {
        return String.format("0x%08X", code);
    }

    @Override
    public String toString() {
        return name();
    }
}
