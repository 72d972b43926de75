package org.ndis4j.tools.crash;

import java.util.List;
import java.util.Map;

/**
 * What a stop code means and what its four parameters hold, as the Windows bug check reference
 * gives them, for the codes ndis4j raises. ndis4j's use of a parameter follows Windows where it
 * can; where a simulated machine has no such value (a memory address) it says what it puts there.
 */
final class BugCheckParameters {

    /** A stop code's meaning and its parameters, Arg1 to Arg4. */
    record Explanation(String meaning, List<String> parameters) {}

    private static final Map<Integer, Explanation> BY_CODE = Map.ofEntries(
            Map.entry(
                    0x09,
                    new Explanation(
                            "KeRaiseIrql was asked for an IRQL below the current one.",
                            List.of("the current IRQL", "the IRQL asked for", "reserved", "reserved"))),
            Map.entry(
                    0x0A,
                    new Explanation(
                            "Kernel code touched what it may not at this IRQL (or lowered the IRQL above the current one).",
                            List.of(
                                    "the memory referenced (ndis4j: the IRQL asked for)",
                                    "the IRQL at the time",
                                    "0 read, 1 write, 8 execute",
                                    "the address of the code (ndis4j: 0)"))),
            Map.entry(
                    0x1E,
                    new Explanation(
                            "A kernel-mode program raised an exception the handler did not catch.",
                            List.of(
                                    "the exception code",
                                    "the address where it happened",
                                    "exception parameter 0",
                                    "exception parameter 1"))),
            Map.entry(
                    0x7C,
                    new Explanation(
                            "NDIS caught a driver breaking its rules (BUGCODE_NDIS_DRIVER); Arg1 says which.",
                            List.of(
                                    "the violation (0x25: NDIS's watchdog — an operation did not finish in time)",
                                    "depends on Arg1 (for 0x25: the operation that hung)",
                                    "depends on Arg1",
                                    "depends on Arg1"))),
            Map.entry(
                    0x7E,
                    new Explanation(
                            "A system worker thread raised an exception nobody caught.",
                            List.of(
                                    "the exception code",
                                    "the address where it happened",
                                    "the exception record",
                                    "the context record"))),
            Map.entry(
                    0x96,
                    new Explanation(
                            "A work item was queued in a state it cannot be queued in.",
                            List.of("the work item", "the queue", "reserved", "reserved"))),
            Map.entry(
                    0xB8,
                    new Explanation(
                            "Code running as a DPC (DISPATCH_LEVEL) tried to wait or switch threads.",
                            List.of("the original thread", "the new thread", "reserved", "reserved"))),
            Map.entry(
                    0xC4,
                    new Explanation(
                            "Driver Verifier caught a driver breaking a rule; Arg1 names the rule.",
                            List.of(
                                    "the rule's id (ndis4j's stable ids, docs/verifier-rules.md)",
                                    "rule-specific (a count, a state, a handle kind: see the rule)",
                                    "rule-specific",
                                    "reserved (0)"))),
            Map.entry(
                    0xC7,
                    new Explanation(
                            "Memory that held a timer or a DPC still queued was freed.",
                            List.of(
                                    "0 timer, 1 thread, 2 DPC, 3 DPC routine",
                                    "the object",
                                    "start of the memory freed",
                                    "end of the memory freed"))),
            Map.entry(
                    0xC8,
                    new Explanation(
                            "The IRQL was not what it should have been when a routine returned.",
                            List.of("the IRQL found and the IRQL expected", "reserved", "reserved", "reserved"))),
            Map.entry(
                    0xCE,
                    new Explanation(
                            "A driver unloaded while something of it was still pending (a timer set, a work item"
                                    + " queued).",
                            List.of(
                                    "the memory referenced",
                                    "0 read, 1 write",
                                    "the address that referenced it",
                                    "reserved"))),
            Map.entry(
                    0xD1,
                    new Explanation(
                            "A driver touched what it may not at this IRQL: it called a function above the IRQL"
                                    + " that function allows.",
                            List.of(
                                    "the memory referenced (ndis4j: the highest IRQL the function allows)",
                                    "the IRQL at the time",
                                    "0 read, 1 write, 8 execute",
                                    "the address of the code (ndis4j: 0)"))),
            Map.entry(
                    0xE1,
                    new Explanation(
                            "A work item's routine returned at an IRQL above PASSIVE_LEVEL.",
                            List.of(
                                    "the routine",
                                    "the IRQL it returned at",
                                    "the work item's parameter",
                                    "the work item"))),
            Map.entry(
                    0xE2,
                    new Explanation(
                            "The crash was asked for (the keyboard crash, or a tool).",
                            List.of("reserved", "reserved", "reserved", "reserved"))),
            Map.entry(
                    0x133,
                    new Explanation(
                            "The DPC watchdog fired: a DPC or ISR ran too long, or a processor stayed at"
                                    + " DISPATCH_LEVEL or above too long.",
                            List.of(
                                    "0: one DPC or ISR ran too long; 1: too long at DISPATCH_LEVEL or above in all",
                                    "Arg1 0: the time it ran; Arg1 1: the limit (clock ticks of 1 ms)",
                                    "Arg1 0: the limit; Arg1 1: 0 (Windows puts its triage block there)",
                                    "reserved"))));

    private BugCheckParameters() {}

    /** The explanation of {@code code}, or one that says ndis4j has none. */
    static Explanation of(int code) {
        return BY_CODE.getOrDefault(
                code,
                new Explanation(
                        "A stop code ndis4j has no table for (a driver's own KeBugCheckEx code).",
                        List.of("driver-defined", "driver-defined", "driver-defined", "driver-defined")));
    }
}
