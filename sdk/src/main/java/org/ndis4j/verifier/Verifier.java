package org.ndis4j.verifier;

import java.util.ArrayList;
import java.util.List;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;

/**
 * Checks that the NDIS library runs at every entry point, the way Driver Verifier's DDI compliance
 * checks do. A broken rule is bug check 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION with parameters:
 * 1 = the rule id, 2 = the caller's IRQL (or a rule-specific value), 3 = the IRQL or value required,
 * 4 = reserved (0).
 */
public final class Verifier {

    private Verifier() {}

    /**
     * Enters {@code kernel} from an NDIS entry point ({@link CurrentThread#enter}) and checks that the
     * caller runs at {@code max} or lower. Returns the caller's IRQL. The entry is a scheduling point
     * named {@code function} (the deterministic scheduler may run another context before the call
     * takes effect).
     */
    public static Irql irqlAtMost(Kernel kernel, Irql max, Rule rule, String function) {
        Irql irql = CurrentThread.enter(kernel);
        if (irql.above(max)) {
            throw violation(
                    kernel,
                    rule,
                    irql.level(),
                    max.level(),
                    function + " called at " + irql + "; it requires IRQL <= " + max);
        }
        kernel.switchPoint(function);
        return irql;
    }

    /** Enters {@code kernel} and checks that the caller runs at exactly {@code required}. */
    public static void irqlEquals(Kernel kernel, Irql required, Rule rule, String function) {
        Irql irql = CurrentThread.enter(kernel);
        if (irql != required) {
            throw violation(
                    kernel,
                    rule,
                    irql.level(),
                    required.level(),
                    function + " called at " + irql + "; it requires IRQL = " + required);
        }
        kernel.switchPoint(function);
    }

    /** Records a violation of {@code rule} and returns the exception the caller throws. */
    public static BugCheckException violation(Kernel kernel, Rule rule, long p2, long p3, String message) {
        return kernel.bugCheck(
                BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, rule.id(), p2, p3, 0, rule.name(), message);
    }

    /**
     * The same, with where the objects the violation is about were made (null sites, for objects
     * made while no stacks were recorded, are left out); the crash report prints them.
     */
    public static BugCheckException violation(
            Kernel kernel, Rule rule, long p2, long p3, String message, AllocationSite... sites) {
        List<AllocationSite> known = new ArrayList<>(sites.length);
        for (AllocationSite site : sites) {
            if (site != null) {
                known.add(site);
            }
        }
        return kernel.bugCheck(
                BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, rule.id(), p2, p3, 0, rule.name(), message, known);
    }

    /** The same for a list of sites (a leak report names every object still allocated). */
    public static BugCheckException violation(
            Kernel kernel, Rule rule, long p2, long p3, String message, List<AllocationSite> sites) {
        return violation(kernel, rule, p2, p3, message, sites.toArray(new AllocationSite[0]));
    }
}
