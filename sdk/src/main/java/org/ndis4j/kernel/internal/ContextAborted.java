package org.ndis4j.kernel.internal;

/**
 * Thrown out of a seam call on a thread whose scheduler ended it: a deterministic run is over and its
 * contexts are unwound (their {@code finally} blocks run). Kernel code that catches every
 * {@code Throwable} to report a driver's crash lets this one pass.
 */
public final class ContextAborted extends Error {

    private static final long serialVersionUID = 1L;

    public ContextAborted(String message) {
        super(message, null, false, false);
    }
}
