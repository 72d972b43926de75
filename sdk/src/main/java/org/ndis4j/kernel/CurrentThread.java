package org.ndis4j.kernel;

/**
 * What the kernel knows about the calling thread, for the layers above it (the NDIS library, the
 * verifier, test harnesses): the kernel it belongs to, what kind of thread it is, and the driver
 * whose code it runs. Drivers use {@link Ke} instead; nothing here is a WDK routine.
 */
public final class CurrentThread {

    private CurrentThread() {}

    /** The kernel the calling thread belongs to, or the last one an external thread entered; null if none. */
    public static Kernel kernel() {
        return ThreadContext.current().kernel();
    }

    /** What the calling thread is: a processor, a system worker, the clock, or an external thread. */
    public static ThreadKind kind() {
        return ThreadContext.current().kind();
    }

    /**
     * Enters {@code kernel} from an entry point: the machine must be running (else the recorded bug
     * check is thrown), and an external thread remembers the kernel for crash reports. Returns the
     * calling thread's IRQL (what an entry point checks next), from the same look-up of the thread.
     */
    public static Irql enter(Kernel kernel) {
        kernel.checkAlive();
        ThreadContext ctx = ThreadContext.current();
        ctx.enter(kernel);
        return ctx.irql();
    }

    /** The driver whose code the calling thread runs now, or null. */
    public static String driver() {
        return ThreadContext.current().driver();
    }

    /**
     * Names {@code driver} as the code the calling thread runs from now on (crash reports blame it);
     * returns the previous name, which {@link #leaveDriver} restores. Allocates nothing.
     */
    public static String enterDriver(String driver) {
        return ThreadContext.current().enterDriver(driver);
    }

    /** Restores the driver name {@link #enterDriver} returned. */
    public static void leaveDriver(String previous) {
        ThreadContext.current().leaveDriver(previous);
    }

    /** A call into a driver's handler: a receiver, an argument and up to three ints (unused ones 0). */
    @FunctionalInterface
    public interface DriverCall<R, A> {
        void call(R receiver, A argument, int a, int b, int c);
    }

    /**
     * Calls {@code call} as {@code driver}'s code: {@link #enterDriver} before, {@link #leaveDriver}
     * after whatever happens, with one look-up of the thread for both (a data path calls a driver
     * per NBL chain). Allocates nothing.
     */
    public static <R, A> void callAsDriver(
            String driver, DriverCall<R, A> call, R receiver, A argument, int a, int b, int c) {
        ThreadContext ctx = ThreadContext.current();
        String previous = ctx.enterDriver(driver);
        try {
            call.call(receiver, argument, a, b, c);
        } finally {
            ctx.leaveDriver(previous);
        }
    }

    /**
     * The calling thread now holds {@code lock}: an ISR, DPC or work item routine that returns before
     * {@link #lockReleased} is a bug check ({@link HeldLock#heldAtReturn}). Allocates nothing.
     */
    public static void lockAcquired(HeldLock lock) {
        ThreadContext.current().lockAcquired(lock);
    }

    /** The calling thread released {@code lock}. */
    public static void lockReleased(HeldLock lock) {
        ThreadContext.current().lockReleased(lock);
    }

    /**
     * KeLowerIrql on behalf of an NDIS call that lowers the caller's IRQL (NdisReleaseSpinLock): the
     * scheduling point of the crossing below DISPATCH_LEVEL carries that call's name.
     */
    public static void lowerIrql(Irql newIrql, String site) {
        Ke.lower(newIrql, site);
    }

    /**
     * Forgets what an external thread (a test's) carried over from earlier work: back to
     * PASSIVE_LEVEL, no kernel, no driver. No effect on kernel threads.
     */
    public static void resetExternal() {
        ThreadContext.resetExternal();
    }
}
