package org.ndis4j.kernel.internal.controlled;

import org.ndis4j.kernel.internal.ContextState;

/** The state of a pooled context thread between runs: PASSIVE, no machine, no processor, no driver. */
enum NoState implements ContextState {
    INSTANCE;

    @Override
    public int irqlLevel() {
        return 0;
    }

    @Override
    public int processorNumber() {
        return -1;
    }

    @Override
    public int machineTag() {
        return -1;
    }

    @Override
    public String driver() {
        return null;
    }

    @Override
    public void runPreempting(Runnable interrupt) {
        throw new IllegalStateException("an idle pooled context thread is no processor");
    }
}
