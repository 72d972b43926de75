package org.ndis4j.tools.run;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.verifier.Rule;

/**
 * What {@code ndis4j run} says when the verifier finds leaks at halt (exit status 4): one line naming
 * each leaked object and the driver's line that allocated it, the first frame of its allocation site
 * (the kernel records sites when the kernel section says {@code "verifier": "full"}).
 *
 * <pre>
 * leak at halt (rule NblPool_Leak, driver poolleakminiport): NBL_POOL[…] allocated at com.example.Mp.initializeEx(Mp.java:55)
 * </pre>
 */
public final class LeakReport {

    /** Rules whose report at halt or unload is a leak (exit 4), not a crash in the middle of a run. */
    public static final Set<String> RULES = Stream.of(
                    Rule.Init_NdisAllocateIoWorkItem,
                    Rule.TimerObject_Leak,
                    Rule.SharedMemory_Leak,
                    Rule.NblPool_Leak,
                    Rule.Nbl_OutstandingAtHalt,
                    Rule.Interrupt_LeakAtHalt,
                    Rule.Device_LeakAtUnload,
                    Rule.IoWorkItem_LeakAtUnload,
                    Rule.NdisOpenConfigurationEx)
            .map(Rule::name)
            .collect(Collectors.toUnmodifiableSet());

    private LeakReport() {}

    /** True when {@code report} (found at halt) is about leaked objects. */
    public static boolean isLeak(CrashReport report) {
        return report.rule() != null && RULES.contains(report.rule());
    }

    /** The one line. */
    public static String line(CrashReport report) {
        String head = "leak at halt (rule " + report.rule()
                + (report.driver() == null ? "" : ", driver " + report.driver()) + "): ";
        if (report.allocations().isEmpty()) {
            return head + report.message()
                    + " (where it was allocated is not recorded: \"verifier\": \"full\" in the kernel section records it)";
        }
        return head + report.allocations().stream().map(LeakReport::site).collect(Collectors.joining(", "));
    }

    private static String site(AllocationSite site) {
        return site.object() + " allocated at " + withoutLoader(site.frames().get(0));
    }

    /** {@code ndis4j-drivers//com.x.Y.m(Y.java:5)} → {@code com.x.Y.m(Y.java:5)}: the class loader's name is noise here. */
    static String withoutLoader(String frame) {
        int paren = frame.indexOf('(');
        int slash = frame.lastIndexOf('/', paren < 0 ? frame.length() : paren);
        return slash < 0 ? frame : frame.substring(slash + 1);
    }
}
