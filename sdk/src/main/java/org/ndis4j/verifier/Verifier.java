package org.ndis4j.verifier;

import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.internal.ThreadContext;

/**
 * Checks that the NDIS library runs at every entry point, the way Driver Verifier's DDI compliance
 * checks do. A broken rule is bug check 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION with parameters:
 * 1 = the rule id, 2 = the caller's IRQL (or a rule-specific value), 3 = the IRQL or value required,
 * 4 = reserved (0).
 */
public final class Verifier {

    private Verifier() {}

    /**
     * Enters the kernel from an NDIS entry point: the machine must be running, and an external thread
     * remembers the kernel (for reports). Returns the caller's context.
     */
    public static ThreadContext enter(Kernel kernel) {
        kernel.checkAlive();
        ThreadContext ctx = ThreadContext.current();
        ctx.enter(kernel);
        return ctx;
    }

    /** Enters and checks that the caller runs at {@code max} or lower. */
    public static ThreadContext irqlAtMost(Kernel kernel, Irql max, Rule rule, String function) {
        ThreadContext ctx = enter(kernel);
        if (ctx.irql().above(max)) {
            throw violation(
                    kernel,
                    rule,
                    ctx.irql().level(),
                    max.level(),
                    function + " called at " + ctx.irql() + "; it requires IRQL <= " + max);
        }
        return ctx;
    }

    /** Enters and checks that the caller runs at exactly {@code required}. */
    public static ThreadContext irqlEquals(Kernel kernel, Irql required, Rule rule, String function) {
        ThreadContext ctx = enter(kernel);
        if (ctx.irql() != required) {
            throw violation(
                    kernel,
                    rule,
                    ctx.irql().level(),
                    required.level(),
                    function + " called at " + ctx.irql() + "; it requires IRQL = " + required);
        }
        return ctx;
    }

    /** Records a violation of {@code rule} and returns the exception the caller throws. */
    public static BugCheckException violation(Kernel kernel, Rule rule, long p2, long p3, String message) {
        return kernel.bugCheck(
                BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, rule.id(), p2, p3, 0, rule.name(), message);
    }
}
