package org.ndis4j.ndis.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ndis4j.hw.BusMemory;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.verifier.AllocationSites;
import org.ndis4j.verifier.FaultInjection;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * What a miniport allocated with its adapter handle and has not freed: I/O work items, timer
 * objects, shared memory. At the end of MiniportHaltEx (or of a failed MiniportInitializeEx) each
 * kind must be empty, or the verifier names the rule broken. By identity throughout: a record's
 * equality would follow the bytes in its buffer.
 */
public final class AdapterAllocations {

    private final Kernel kernel;
    private final String adapterName;
    private final BusMemory memory;
    /** Guards the three sets. */
    private final Object lock = new Object();

    private final Set<IoWorkItem> workItems = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<TimerObject> timers = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<ConfigurationKey> configurations = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Each block with where the driver allocated it (empty when no stacks are recorded). */
    private final Map<SharedMemory, List<String>> sharedMemory = new IdentityHashMap<>();

    AdapterAllocations(Kernel kernel, String adapterName, BusMemory memory) {
        this.kernel = kernel;
        this.adapterName = adapterName;
        this.memory = memory;
    }

    void workItemAllocated(IoWorkItem item) {
        synchronized (lock) {
            workItems.add(item);
        }
    }

    void workItemFreed(IoWorkItem item) {
        synchronized (lock) {
            workItems.remove(item);
        }
    }

    void timerAllocated(TimerObject timer) {
        synchronized (lock) {
            timers.add(timer);
        }
    }

    void timerFreed(TimerObject timer) {
        synchronized (lock) {
            timers.remove(timer);
        }
    }

    void configurationOpened(ConfigurationKey key) {
        synchronized (lock) {
            configurations.add(key);
        }
    }

    void configurationClosed(ConfigurationKey key) {
        synchronized (lock) {
            configurations.remove(key);
        }
    }

    /**
     * Rule NdisOpenConfigurationEx: every configuration handle opened with the adapter handle is
     * closed by the end of {@code where} (MiniportInitializeEx, MiniportHaltEx).
     */
    void checkConfigurationsClosed(String where) {
        List<ConfigurationKey> open;
        synchronized (lock) {
            open = new ArrayList<>(configurations);
        }
        if (!open.isEmpty()) {
            throw Verifier.violation(
                    kernel,
                    Rule.NdisOpenConfigurationEx,
                    open.size(),
                    0,
                    adapterName + ": " + open.size() + " configuration handle(s) opened with NdisOpenConfigurationEx "
                            + "were not closed with NdisCloseConfiguration by the end of " + where,
                    open.stream().map(ConfigurationKey::allocationSite).toList());
        }
    }

    /**
     * NdisMAllocateSharedMemory, after the entry point checked IRQL: from the device's bus memory;
     * null when the bus has none left or fault injection fails it.
     */
    public SharedMemory allocateSharedMemory(int length) {
        if (length <= 0) {
            throw Verifier.violation(
                    kernel, Rule.Handle_Invalid, 6, length, "NdisMAllocateSharedMemory with length " + length);
        }
        if (FaultInjection.of(kernel).shouldFail(FaultInjection.Allocation.SHARED_MEMORY)) {
            return null;
        }
        SharedMemory block = memory.allocate(length);
        if (block != null) {
            List<String> allocatedAt = AllocationSites.capture(kernel);
            synchronized (lock) {
                sharedMemory.put(block, allocatedAt);
            }
        }
        return block;
    }

    /** NdisMFreeSharedMemory: only a block this adapter allocated, with its length. */
    public void freeSharedMemory(int length, SharedMemory block) {
        synchronized (lock) {
            if (block == null || !sharedMemory.containsKey(block) || block.length() != length) {
                throw Verifier.violation(
                        kernel,
                        Rule.Handle_Invalid,
                        5,
                        length,
                        adapterName + ": NdisMFreeSharedMemory of " + block + " with length " + length
                                + ", which this adapter did not allocate with that length (or freed already)");
            }
            sharedMemory.remove(block);
        }
        memory.free(block);
    }

    /**
     * Throws the violation for the first kind still allocated at the end of {@code where}; the report
     * names where each leaked object was allocated (when the kernel records allocation stacks).
     */
    void checkNothingLeft(String where) {
        checkConfigurationsClosed(where);
        List<IoWorkItem> leakedItems;
        List<TimerObject> leakedTimers;
        Map<SharedMemory, List<String>> leakedMemory;
        synchronized (lock) {
            leakedItems = new ArrayList<>(workItems);
            leakedTimers = new ArrayList<>(timers);
            leakedMemory = new IdentityHashMap<>(sharedMemory);
        }
        if (!leakedMemory.isEmpty()) {
            long bytes = leakedMemory.keySet().stream()
                    .mapToLong(SharedMemory::length)
                    .sum();
            List<AllocationSite> sites = new ArrayList<>();
            leakedMemory.forEach((block, at) -> sites.add(AllocationSites.of(block, at)));
            throw Verifier.violation(
                    kernel,
                    Rule.SharedMemory_Leak,
                    leakedMemory.size(),
                    bytes,
                    adapterName + ": " + leakedMemory.size() + " shared memory block(s), " + bytes + " bytes, "
                            + "allocated with the adapter handle were not freed by the end of " + where,
                    sites);
        }
        if (!leakedItems.isEmpty()) {
            throw Verifier.violation(
                    kernel,
                    Rule.Init_NdisAllocateIoWorkItem,
                    leakedItems.size(),
                    0,
                    adapterName + ": " + leakedItems.size() + " work item(s) allocated with the adapter handle "
                            + "were not freed by the end of " + where,
                    leakedItems.stream().map(IoWorkItem::allocationSite).toList());
        }
        if (!leakedTimers.isEmpty()) {
            throw Verifier.violation(
                    kernel,
                    Rule.TimerObject_Leak,
                    leakedTimers.size(),
                    0,
                    adapterName + ": " + leakedTimers.size() + " timer object(s) allocated with the adapter "
                            + "handle were not freed by the end of " + where,
                    leakedTimers.stream().map(TimerObject::allocationSite).toList());
        }
    }
}
