package org.ndis4j.ndis.types;

/**
 * NDIS_IO_WORKITEM_ROUTINE. Runs at PASSIVE_LEVEL on a CriticalWorkQueue worker thread. It may free
 * its own work item, or queue it again.
 *
 * @param <C> the WorkItemContext passed to {@code Ndis.queueIoWorkItem}
 */
@FunctionalInterface
public interface IoWorkItemRoutine<C> {

    void run(C workItemContext, NdisIoWorkItem ndisIoWorkItemHandle);
}
