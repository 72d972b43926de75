package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * The handshake of a MiniportPause or MiniportRestart that returned NDIS_STATUS_PENDING: NDIS arms
 * an event before the handler runs, the miniport's NdisMPauseComplete / NdisMRestartComplete sets
 * it with the status, and NDIS waits for it. Apart from {@link MiniportAdapter} because it is a
 * rendezvous between two threads with rules of its own (complete only once, only for PENDING), not
 * a transition.
 */
final class PauseRestartCompletion {

    private final MiniportAdapter adapter;
    /** Guards every field below. */
    private final Object lock = new Object();

    /** Set by NdisMPauseComplete / NdisMRestartComplete while a pause or restart pends. */
    private KEvent pendingCompletion;

    private NdisStatus completionStatus;

    PauseRestartCompletion(MiniportAdapter adapter) {
        this.adapter = adapter;
    }

    /** Arms the completion a PENDING pause or restart will signal; called before the handler runs. */
    void arm() {
        synchronized (lock) {
            pendingCompletion = adapter.kernel().initializeEvent(false);
            completionStatus = null;
        }
    }

    /** What {@code handler} returned, or for PENDING the status its completion brought. */
    NdisStatus await(NdisStatus returned, String handler) {
        if (returned != NdisStatus.PENDING) {
            synchronized (lock) {
                pendingCompletion = null;
                if (completionStatus != null) {
                    throw Verifier.violation(
                            adapter.kernel(),
                            Rule.Adapter_StateTransition,
                            returned.code(),
                            0,
                            adapter.name() + ": " + handler + " returned " + returned
                                    + " but also called its completion; completion is only for PENDING");
                }
            }
            return returned;
        }
        KEvent done;
        synchronized (lock) {
            done = pendingCompletion;
        }
        // The watchdog times the pending operation; a crash ends the wait.
        adapter.kernel().waitFor(handler + " to complete (it returned NDIS_STATUS_PENDING)", done, -1, WaitKind.WORK);
        synchronized (lock) {
            pendingCompletion = null;
            return completionStatus;
        }
    }

    /** NdisMPauseComplete / NdisMRestartComplete while the adapter is {@code state}. */
    void complete(AdapterState state, AdapterState expected, NdisStatus status, String function) {
        KEvent done;
        synchronized (lock) {
            done = pendingCompletion;
            if (state != expected || done == null || completionStatus != null) {
                throw Verifier.violation(
                        adapter.kernel(),
                        Rule.Adapter_StateTransition,
                        state.ordinal(),
                        expected.ordinal(),
                        adapter.name() + ": " + function + " called while the adapter is " + state
                                + (completionStatus != null ? " and already completed" : ""));
            }
            completionStatus = status;
        }
        done.set();
    }
}
