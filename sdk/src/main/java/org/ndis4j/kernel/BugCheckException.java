package org.ndis4j.kernel;

/**
 * Thrown into the code that caused a bug check, and into any code that calls the kernel after it:
 * the simulated machine has stopped. {@link #report()} says why.
 */
public final class BugCheckException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CrashReport report;

    public BugCheckException(CrashReport report) {
        super(report.headline(), null, false, true);
        this.report = report;
    }

    public CrashReport report() {
        return report;
    }

    public BugCheckCode code() {
        return report.code();
    }
}
