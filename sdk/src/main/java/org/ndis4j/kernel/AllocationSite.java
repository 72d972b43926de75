package org.ndis4j.kernel;

import java.util.List;

/**
 * Where an object a crash report is about was made: its name and the stack of the code that
 * allocated (or registered, or acquired) it, the driver's frames first (the NDIS and kernel frames
 * above the driver's call are left out). Recorded only when {@link KernelConfig#allocationStacks()}
 * asks for it, as Driver Verifier keeps allocation stacks only when its options say so.
 *
 * @param object what was allocated ("WORK_ITEM[vmini/vnic0/workitem]")
 * @param frames the allocating stack, innermost first, one {@code StackTraceElement} text per frame
 */
public record AllocationSite(String object, List<String> frames) {

    public AllocationSite {
        frames = List.copyOf(frames);
    }
}
