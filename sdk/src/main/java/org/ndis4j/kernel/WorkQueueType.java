package org.ndis4j.kernel;

/** The system worker queues (WORK_QUEUE_TYPE). NDIS I/O work items always go to CriticalWorkQueue. */
public enum WorkQueueType {
    CriticalWorkQueue,
    DelayedWorkQueue
}
