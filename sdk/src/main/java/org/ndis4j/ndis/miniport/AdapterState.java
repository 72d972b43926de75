package org.ndis4j.ndis.miniport;

/** The states of a miniport adapter (the NDIS 6 miniport adapter state machine). */
public enum AdapterState {
    Halted,
    Initializing,
    Paused,
    Restarting,
    Running,
    Pausing,
    Shutdown;

    /** True when NDIS may move an adapter from this state to {@code next}. */
    public boolean canMoveTo(AdapterState next) {
        return switch (this) {
            case Halted -> next == Initializing;
            case Initializing -> next == Paused || next == Halted; // Halted: initialize failed
            case Paused -> next == Restarting || next == Halted || next == Shutdown;
            case Restarting -> next == Running || next == Paused; // Paused: restart failed
            case Running -> next == Pausing || next == Shutdown;
            case Pausing -> next == Paused; // pause cannot fail
            case Shutdown -> false; // nothing returns from it
        };
    }
}
