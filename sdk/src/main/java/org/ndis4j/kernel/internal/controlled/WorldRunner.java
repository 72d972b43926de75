package org.ndis4j.kernel.internal.controlled;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ndis4j.kernel.internal.ContextAborted;
import org.ndis4j.kernel.internal.ContextState;
import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * Drives one world from outside it (JUnit's thread): the test context's thread runs the steps it is
 * given (boot a kernel, the test body, close) and, between steps, keeps the turn, so nothing else
 * runs while the caller is between two steps. {@link #finish} fixes the result, unwinds every
 * context and writes the trace and event log of a failing run.
 */
public final class WorldRunner {

    /** What one finished run was. */
    public record Outcome(
            boolean passed,
            String failure,
            long seed,
            long steps,
            long choiceSteps,
            long virtualNanos,
            String eventLogSha256,
            Path trace,
            Path eventLog) {}

    private static final Runnable EXIT = () -> {};

    private final World world;
    private final LinkedBlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();
    private final long stepTimeoutNanos;
    private boolean finished;

    /** Starts a world whose test context carries {@code testState}. */
    public WorldRunner(WorldSettings settings, ContextState testState, long stepTimeoutNanos) {
        this.world = new World(settings, testState);
        this.stepTimeoutNanos = stepTimeoutNanos;
        ContextThread t = new ContextThread(world, world.test(), this::serve);
        world.bindTest(t);
        t.start();
    }

    private void serve() {
        for (; ; ) {
            Runnable step;
            try {
                step = mailbox.take();
            } catch (InterruptedException e) {
                continue; // only finish() ends the test context
            }
            if (step == EXIT) {
                return;
            }
            step.run();
        }
    }

    /**
     * Runs {@code step} on the test context and returns its result; a failure of the run (a deadlock,
     * a divergence) is thrown as {@link RunFailed}, the step's own exception as itself.
     */
    public <V> V call(Callable<V> step) throws Exception {
        if (finished) {
            throw new IllegalStateException("the deterministic run is finished");
        }
        if (world.failure() != null) {
            throw new RunFailed(world.failure());
        }
        CompletableFuture<V> result = new CompletableFuture<>();
        mailbox.add(() -> {
            try {
                result.complete(step.call());
            } catch (ContextAborted aborted) {
                result.completeExceptionally(
                        new RunFailed(world.failure() == null ? "the run was aborted" : world.failure()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(stepTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new RunFailed(StuckReport.of(world, stepTimeoutNanos));
        }
    }

    /** A new machine of the world, for a kernel booting on the test context. */
    public Scheduler attach(ContextState clockState) {
        world.enter("Kernel.boot");
        return new ControlledScheduler(world, clockState);
    }

    /** The virtual clock. */
    public long nanoTime() {
        return world.now();
    }

    /** Runs {@code action} on the world's hardware context after {@code delayNanos} of virtual time. */
    public Scheduler.ScheduledTask hardwareTimer(long delayNanos, Runnable action) {
        world.enter("a device timer");
        return world.schedule(delayNanos, TimeoutKind.WORK, action, world.hardware());
    }

    /** Sleeps the calling context {@code nanos} of virtual time; {@code why} is for reports. */
    public void sleep(long nanos, String why) {
        Context me = world.enter("poll for " + why);
        world.block(me, new Blocker(Blocker.Kind.SLEEP, null, why, world.deadline(nanos), TimeoutKind.WORK));
    }

    /** True when the calling thread is one of this world's contexts holding the turn. */
    public boolean isCurrentThreadControlled() {
        return World.ofCurrentThread() == world;
    }

    /** The failure of the run so far, or null. */
    public String failure() {
        return world.failure();
    }

    /**
     * Ends the run: {@code testFailure} is how the test itself failed (null: it passed). Writes the
     * trace and event log under {@code traceDirectory} when the run failed or {@code always}.
     */
    public Outcome finish(String testFailure, Path traceDirectory, boolean always) {
        if (finished) {
            throw new IllegalStateException("the deterministic run is finished already");
        }
        finished = true;
        world.end(testFailure);
        mailbox.add(EXIT);
        String failure = world.failure() != null ? world.failure() : testFailure;
        Path trace = null;
        Path log = null;
        if (traceDirectory != null && (failure != null || always)) {
            String name = Long.toHexString(world.settings().seed());
            trace = traceDirectory.resolve(name + ".trace");
            log = traceDirectory.resolve(name + ".log");
            try {
                world.trace().write(trace);
                world.log().write(log);
            } catch (IOException e) {
                failure = (failure == null ? "" : failure + "\n") + "(the trace could not be written: " + e + ")";
                trace = null;
                log = null;
            }
        }
        return new Outcome(
                failure == null,
                failure,
                world.settings().seed(),
                world.steps(),
                world.choiceSteps(),
                world.now(),
                world.log().sha256(),
                trace,
                log);
    }

    /** The strategy as the trace's header describes it: "pct(d=2,k=41,changes=[23],fairAfter=1000)". */
    public String strategy() {
        return world.strategy().describe();
    }

    /** True when the fair fallback's random walk took over from PCT or the probabilistic strategy. */
    public boolean fellBackToRandomWalk() {
        return world.strategy() instanceof FairFallback f && f.fallen();
    }

    /** A failure of the run itself (not of the test body): a deadlock, a divergence, a stuck context. */
    public static final class RunFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RunFailed(String message) {
            super(message, null, false, false);
        }
    }
}
