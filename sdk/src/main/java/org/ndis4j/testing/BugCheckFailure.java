package org.ndis4j.testing;

import java.util.List;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;

/**
 * A test failed because its machine bug-checked: the headline is the bug check (name, code, rule,
 * driver), the rest of the message the crash report (the blue screen), and the cause a
 * {@link BugCheckException} carrying the faulting thread's stack. {@link KernelExtension} makes it
 * the test's primary failure whichever thread crashed; the kit's awaits throw it as soon as the
 * machine stops.
 */
public final class BugCheckFailure extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final transient CrashReport report;
    private final String kernel;

    /** The failure for {@code report} of {@code kernel}; {@code original} (may be null) becomes the cause. */
    BugCheckFailure(Kernel kernel, CrashReport report, BugCheckException original) {
        super(message(kernel, report), original != null ? original : faultingStack(report));
        this.report = report;
        this.kernel = kernel.name();
    }

    /** The crash report. */
    public CrashReport report() {
        return report;
    }

    /** The name of the kernel that crashed. */
    public String kernelName() {
        return kernel;
    }

    private static String message(Kernel kernel, CrashReport report) {
        return report.headline() + " [driver " + (report.driver() == null ? "(none)" : report.driver()) + ", thread "
                + report.thread() + ", kernel " + kernel.name() + "]\n" + report.toText();
    }

    /** A BugCheckException whose stack trace is the faulting thread's, as the report recorded it. */
    private static BugCheckException faultingStack(CrashReport report) {
        BugCheckException e = new BugCheckException(report);
        List<String> frames = report.stack();
        StackTraceElement[] stack = new StackTraceElement[frames.size()];
        for (int i = 0; i < stack.length; i++) {
            stack[i] = frame(frames.get(i));
        }
        e.setStackTrace(stack);
        return e;
    }

    /**
     * Reads back one {@link StackTraceElement#toString()} line: {@code [loader/][module@version/]
     * class.method(File.java:line)}, or {@code (Native Method)}, {@code (Unknown Source)}.
     */
    static StackTraceElement frame(String text) {
        int open = text.lastIndexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) {
            return new StackTraceElement("?", text, null, -1);
        }
        String qualified = text.substring(0, open);
        int slash = qualified.lastIndexOf('/');
        String module = slash < 0 ? null : qualified.substring(0, slash);
        qualified = qualified.substring(slash + 1);
        int dot = qualified.lastIndexOf('.');
        String declaringClass = dot < 0 ? "?" : qualified.substring(0, dot);
        String method = qualified.substring(dot + 1);
        String location = text.substring(open + 1, close);
        String file = null;
        int line = -1;
        if (location.equals("Native Method")) {
            line = -2;
        } else if (!location.equals("Unknown Source")) {
            int colon = location.lastIndexOf(':');
            file = colon < 0 ? location : location.substring(0, colon);
            if (colon >= 0) {
                try {
                    line = Integer.parseInt(location.substring(colon + 1));
                } catch (NumberFormatException e) {
                    line = -1;
                }
            }
        }
        String moduleName = null;
        String moduleVersion = null;
        if (module != null) {
            int lastSlash = module.lastIndexOf('/');
            String m = module.substring(lastSlash + 1); // drop a class loader name
            int at = m.indexOf('@');
            moduleName = at < 0 ? m : m.substring(0, at);
            moduleVersion = at < 0 ? null : m.substring(at + 1);
            if (moduleName.isEmpty()) {
                moduleName = null; // "loader//class": a named class loader, no module
            }
        }
        return new StackTraceElement(null, moduleName, moduleVersion, declaringClass, method, file, line);
    }
}
