package org.ndis4j.tools;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM as a request to stop: a command that runs until stopped waits on this,
 * then halts cleanly on its own thread and returns its {@link ExitCode} (0 after a clean halt). A
 * shutdown hook could not: the JVM would exit with 130 or 143 whatever the halt found.
 */
final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);

    private StopSignal() {}

    /** Takes over SIGINT and SIGTERM for the rest of the process. */
    static StopSignal install() {
        StopSignal s = new StopSignal();
        Signal.handle(new Signal("INT"), signal -> s.stopped.countDown());
        Signal.handle(new Signal("TERM"), signal -> s.stopped.countDown());
        return s;
    }

    /** Waits up to {@code nanos} for a stop request; true when one came. */
    boolean await(long nanos) throws InterruptedException {
        return stopped.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the waiter as a signal would (the command's own reasons to end: a count reached, a peer gone). */
    void stop() {
        stopped.countDown();
    }
}
