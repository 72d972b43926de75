package org.ndis4j.ndis.filter;

/** The states of a filter module (the NDIS 6 filter module state machine). */
public enum FilterModuleState {
    Detached,
    Attaching,
    Paused,
    Restarting,
    Running,
    Pausing
}
