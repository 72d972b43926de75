package org.ndis4j.verifier;

import java.lang.StackWalker.StackFrame;
import java.security.CodeSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;

/**
 * Records where a tracked object was made, as Driver Verifier keeps allocation stacks: a snapshot
 * of the calling stack with the kernel's and NDIS's own frames (and the JDK's between them) left
 * out, so the first frame is the driver's call. Only when the kernel asks for it
 * ({@link KernelConfig#allocationStacks()}); otherwise it costs a field read.
 * No {@code Throwable} is made: a {@link StackWalker} walks the frames it keeps, at most
 * {@link #MAX_FRAMES}.
 */
public final class AllocationSites {

    /** How many frames a site keeps, starting at the driver's call. */
    public static final int MAX_FRAMES = 12;

    private static final List<String> NONE = List.of();

    private static final StackWalker WALKER =
            StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));

    /** Where the kernel and NDIS are loaded from: frames of classes from there are not the driver's. */
    private static final CodeSource NDIS_CODE =
            AllocationSites.class.getProtectionDomain().getCodeSource();

    /**
     * True for a class whose frames are left out: the kernel's, NDIS's and the verifier's (loaded with
     * this class, outside the test aids and the host API, which act as drivers and hosts), and the
     * JDK's.
     */
    private static final ClassValue<Boolean> NOT_THE_DRIVER = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (type.getClassLoader() == null
                    || type.getName().startsWith("java.")
                    || type.getName().startsWith("jdk.")) {
                return true;
            }
            String pkg = type.getPackageName();
            if (pkg.startsWith("org.ndis4j.testing") || pkg.startsWith("org.ndis4j.host")) {
                return false;
            }
            return Objects.equals(type.getProtectionDomain().getCodeSource(), NDIS_CODE);
        }
    };

    private AllocationSites() {}

    /**
     * The calling stack from the driver's call on, or an empty list when {@code kernel} records no
     * allocation stacks. Called by NDIS at each allocation it tracks.
     */
    public static List<String> capture(Kernel kernel) {
        if (!kernel.config().allocationStacks()) {
            return NONE;
        }
        return WALKER.walk(frames -> frames.dropWhile(f -> NOT_THE_DRIVER.get(f.getDeclaringClass()))
                .limit(MAX_FRAMES)
                .map(AllocationSites::text)
                .toList());
    }

    /** The site of {@code object}, or null when no stack was recorded for it. */
    public static AllocationSite of(Object object, List<String> frames) {
        return frames == null || frames.isEmpty() ? null : new AllocationSite(String.valueOf(object), frames);
    }

    private static String text(StackFrame frame) {
        return frame.toStackTraceElement().toString();
    }
}
