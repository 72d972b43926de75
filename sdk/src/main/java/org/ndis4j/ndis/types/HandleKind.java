package org.ndis4j.ndis.types;

/** What an NDIS_HANDLE stands for. NDIS checks the kind where C would trust a void pointer. */
public enum HandleKind {
    MINIPORT_DRIVER,
    MINIPORT_ADAPTER,
    FILTER_DRIVER,
    FILTER_MODULE,
    PROTOCOL_DRIVER,
    PROTOCOL_BINDING,
    DEVICE,
    WORK_ITEM,
    INTERRUPT,
    TIMER,
    POOL,
    CONFIGURATION
}
