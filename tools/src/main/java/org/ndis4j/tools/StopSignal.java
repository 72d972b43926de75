package org.ndis4j.tools;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGINT (Ctrl-C) and SIGTERM as a request to stop, for a command that runs until stopped: the
 * command waits on {@link #await}, halts cleanly on its own thread and ends with {@link #exit}; the
 * process then exits with that status (0 after a clean halt), not the JVM's 130 or 143.
 *
 * <p>How: a shutdown hook, which the JVM runs on either signal, wakes the command and waits for its
 * status, then halts the JVM with it ({@code System.exit} cannot be called during shutdown). When the
 * command ends for its own reasons first, {@link #close} takes the hook away again.
 */
final class StopSignal implements AutoCloseable {

    /** How long the hook waits for the command to halt before the process ends anyway. */
    private static final long HALT_WAIT_SECONDS = 60;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile int exitCode = ExitCode.FAILURE.code();

    private StopSignal() {
        hook = new Thread(this::onShutdown, "ndis4j-stop");
    }

    /** Starts listening for SIGINT and SIGTERM; close it (try-with-resources) when the command ends. */
    static StopSignal install() {
        StopSignal s = new StopSignal();
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    private void onShutdown() {
        stopped.countDown();
        try {
            finished.await(HALT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(exitCode);
    }

    /** Waits up to {@code nanos} for a stop request (a signal, or {@link #stop}); true when one came. */
    boolean await(long nanos) throws InterruptedException {
        return stopped.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the waiter as a signal would: the command's own reasons to end (a count reached, a peer gone). */
    void stop() {
        stopped.countDown();
    }

    /** The status the command ends with, also the process's when a signal stopped it. */
    int exit(ExitCode code) {
        exitCode = code.code();
        return exitCode;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it halts with exitCode now.
        }
    }
}
