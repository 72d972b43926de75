package org.ndis4j.kernel;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the simulated machine says when it stops: the bug check code and its four parameters, the
 * rule that was broken (for a verifier violation), the faulting driver, the processor and IRQL,
 * and the Java stack of the code that broke the rule.
 *
 * @param code       the stop code
 * @param parameters the four bug check parameters
 * @param rule       the verifier rule name, or null when no rule applies
 * @param message    one sentence on what happened
 * @param driver     the driver that was running, or null
 * @param processor  the processor number, or -1 on a thread that is not a processor
 * @param irql       the IRQL of the faulting thread
 * @param thread     the faulting thread's name
 * @param stack      the faulting thread's stack, innermost first
 * @param time       wall-clock time of the crash (for the report only)
 * @param allocations where the objects the report is about were made (a leaked work item, a freed
 *                   timer, a spin lock still held), when the kernel records allocation stacks
 *                   ({@link KernelConfig#allocationStacks()}); empty otherwise
 */
public record CrashReport(
        BugCheckCode code,
        List<Long> parameters,
        String rule,
        String message,
        String driver,
        int processor,
        Irql irql,
        String thread,
        List<String> stack,
        Instant time,
        List<AllocationSite> allocations) {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public CrashReport {
        allocations = List.copyOf(allocations);
    }

    /** "DRIVER_VERIFIER_DETECTED_VIOLATION (0x000000C4) rule Irql_Miscellaneous_Function: ...". */
    public String headline() {
        StringBuilder b = new StringBuilder().append(code);
        if (code.isNamed()) {
            b.append(" (").append(code.hex()).append(')');
        }
        if (rule != null) {
            b.append(" rule ").append(rule);
        }
        return b.append(": ").append(message).toString();
    }

    /** The blue screen, as readable text. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("*** STOP: ").append(code.hex()).append(" (");
        for (int i = 0; i < parameters.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(String.format("0x%016X", parameters.get(i)));
        }
        b.append(")\n").append(code).append('\n');
        if (rule != null) {
            b.append("Rule:      ").append(rule).append('\n');
        }
        b.append("What:      ").append(message).append('\n');
        b.append("Driver:    ").append(driver == null ? "(none)" : driver).append('\n');
        b.append("Processor: ")
                .append(processor < 0 ? "(not a processor)" : processor)
                .append('\n');
        b.append("IRQL:      ").append(irql).append(" (").append(irql.level()).append(")\n");
        b.append("Thread:    ").append(thread).append('\n');
        for (AllocationSite site : allocations) {
            b.append("Allocated: ").append(site.object()).append('\n');
            for (String frame : site.frames()) {
                b.append("    at ").append(frame).append('\n');
            }
        }
        b.append("Stack:\n");
        for (String frame : stack) {
            b.append("    at ").append(frame).append('\n');
        }
        return b.toString();
    }

    /** The same report as JSON, for tools. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bugCheck", code.name());
        m.put("code", code.hex());
        m.put(
                "parameters",
                parameters.stream().map(p -> String.format("0x%016X", p)).toList());
        m.put("rule", rule);
        m.put("message", message);
        m.put("driver", driver);
        m.put("processor", processor);
        m.put("irql", irql.name());
        m.put("irqlLevel", irql.level());
        m.put("thread", thread);
        m.put("stack", stack);
        m.put("allocations", allocations.stream().map(CrashReport::json).toList());
        m.put("time", time.toString());
        return JSON.writeValueAsString(m);
    }

    private static Map<String, Object> json(AllocationSite site) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", site.object());
        m.put("stack", site.frames());
        return m;
    }

    @Override
    public String toString() {
        return headline();
    }
}
