package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.Ke;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NDIS trace: one line per thing NDIS does (state transitions, calls into the driver, work items,
 * indications), each prefixed with the thread and IRQL it happened on. Logger {@code org.ndis4j.trace}
 * at DEBUG.
 */
final class Trace {

    private static final Logger LOG = LoggerFactory.getLogger("org.ndis4j.trace");

    private Trace() {}

    static void log(String format, Object... args) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{} {}] {}", Thread.currentThread().getName(), Ke.getCurrentIrql(), String.format(format, args));
        }
    }
}
