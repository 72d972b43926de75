package org.ndis4j.kernel;

/**
 * A lock the calling thread holds (an NDIS spin lock, a KSPIN_LOCK underneath). The thread registers
 * it with {@link CurrentThread#lockAcquired} and removes it with {@link CurrentThread#lockReleased};
 * when an ISR, a DPC or a system worker routine returns while one is still held, the kernel asks
 * the lock for the bug check that names the broken rule (the kernel knows no verifier rule).
 */
public interface HeldLock {

    /**
     * The bug check for {@code routine} ("a DPC", "an ISR", "a work item routine") returning while
     * this lock is held; the kernel throws it.
     */
    BugCheckException heldAtReturn(String routine);
}
