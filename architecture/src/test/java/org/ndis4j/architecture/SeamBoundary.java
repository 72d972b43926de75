package org.ndis4j.architecture;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.Timer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Exchanger;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Predicate;

/**
 * What code outside the kernel's scheduler seam must not call: every way to block, spin, sleep, start
 * a thread, read a clock or draw a random number behind the scheduler's back. Under the deterministic
 * scheduler such a call either hangs the run (a context blocked where the scheduler cannot see it,
 * holding the turn) or makes it unrepeatable (a wall clock, a random draw, an identity hash in a
 * message). Each entry says what to use instead.
 */
final class SeamBoundary {

    /** One banned call: what matches it, and what to use instead. */
    private record Ban(String what, Predicate<JavaCodeUnitAccess<?>> matches, String instead) {}

    private static final List<Ban> BANS = List.of(
            ban(
                    "Thread.sleep/yield/onSpinWait/join/start",
                    c -> method(c, Thread.class, "sleep", "yield", "onSpinWait", "join", "start"),
                    "Kernel.delayExecution, Kernel.stall, the scheduler's threads"),
            ban("new Thread", c -> constructorOf(c, Thread.class), "Scheduler.startThread (kernel.internal)"),
            ban("Object.wait/notify/notifyAll", SeamBoundary::monitorWait, "a KEvent and Kernel.waitFor"),
            ban(
                    "LockSupport.park*",
                    c -> method(c, LockSupport.class, "park", "parkNanos", "parkUntil"),
                    "the scheduler seam"),
            ban(
                    "Lock.lock/tryLock/lockInterruptibly",
                    c -> method(c, Lock.class, "lock", "tryLock", "lockInterruptibly"),
                    "Kernel.newLock (a KernelLock)"),
            ban(
                    "new ReentrantLock/ReentrantReadWriteLock/StampedLock",
                    c -> constructorOf(c, ReentrantLock.class, ReentrantReadWriteLock.class, StampedLock.class),
                    "Kernel.newLock (a KernelLock)"),
            ban(
                    "Condition.await*",
                    c -> method(c, Condition.class, "await", "awaitNanos", "awaitUninterruptibly", "awaitUntil"),
                    "a KEvent and Kernel.waitFor"),
            ban(
                    "Future.get / CompletableFuture.join and *Async",
                    c -> method(c, Future.class, "get")
                            || method(c, CompletableFuture.class, "join")
                            || (owner(c, CompletableFuture.class) && c.getName().endsWith("Async")),
                    "a KEvent and Kernel.waitFor"),
            ban(
                    "CountDownLatch/Semaphore/CyclicBarrier/Phaser/Exchanger waits",
                    c -> method(c, CountDownLatch.class, "await")
                            || method(c, Semaphore.class, "acquire", "acquireUninterruptibly", "tryAcquire")
                            || method(c, CyclicBarrier.class, "await")
                            || method(
                                    c,
                                    Phaser.class,
                                    "awaitAdvance",
                                    "awaitAdvanceInterruptibly",
                                    "arriveAndAwaitAdvance")
                            || method(c, Exchanger.class, "exchange"),
                    "a KEvent and Kernel.waitFor"),
            ban(
                    "BlockingQueue.take/put and timed poll/offer",
                    c -> method(c, BlockingQueue.class, "take", "put")
                            || (method(c, BlockingQueue.class, "poll", "offer")
                                    && c.getTarget().getRawParameterTypes().size() >= 2),
                    "the scheduler's task queues"),
            ban(
                    "System.nanoTime/currentTimeMillis",
                    c -> method(c, System.class, "nanoTime", "currentTimeMillis"),
                    "Kernel.nanoTime, Kernel.queryInterruptTime"),
            ban(
                    "Instant.now, Clock, java.time now()",
                    c -> (owner(c, Temporal.class) && c.getName().equals("now")) || owner(c, Clock.class),
                    "the kernel clock; Scheduler.wallClock for a report's time"),
            ban(
                    "TimeUnit.sleep/timedWait/timedJoin",
                    c -> method(c, TimeUnit.class, "sleep", "timedWait", "timedJoin"),
                    "Kernel.delayExecution"),
            ban(
                    "Executors, thread pools, Timer",
                    c -> owner(c, Executors.class)
                            || constructorOf(c, ThreadPoolExecutor.class, ForkJoinPool.class, Timer.class)
                            || method(c, ForkJoinPool.class, "commonPool"),
                    "the scheduler's queues and clock"),
            ban(
                    "random numbers",
                    c -> constructorOf(c, Random.class, SecureRandom.class, SplittableRandom.class)
                            || owner(c, ThreadLocalRandom.class)
                            || method(c, Math.class, "random"),
                    "a seeded choice of the scheduler (Scheduler.choose)"),
            ban(
                    "System.identityHashCode",
                    c -> method(c, System.class, "identityHashCode"),
                    "Kernel.newObjectNumber or Kernel.pointerOf: the same in every run of a schedule"));

    private SeamBoundary() {}

    /** The condition: a class makes none of the banned calls; each violation names the call and the remedy. */
    static ArchCondition<JavaClass> makeNoCallOutsideTheSeam() {
        return new ArchCondition<>("block, spin, sleep, start threads, read clocks and draw random numbers only"
                + " through the kernel's scheduler seam") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                    report(call, events);
                }
                for (JavaConstructorCall call : c.getConstructorCallsFromSelf()) {
                    report(call, events);
                }
            }
        };
    }

    private static void report(JavaCodeUnitAccess<?> call, ConditionEvents events) {
        for (Ban ban : BANS) {
            if (ban.matches().test(call)) {
                events.add(SimpleConditionEvent.violated(
                        call, describe(call) + " (" + ban.what() + "): use " + ban.instead()));
                return;
            }
        }
    }

    private static String describe(JavaAccess<?> call) {
        return call.getOrigin().getFullName() + " " + call.getSourceCodeLocation() + " calls "
                + call.getTarget().getOwner().getSimpleName() + "." + call.getName();
    }

    private static Ban ban(String what, Predicate<JavaCodeUnitAccess<?>> matches, String instead) {
        return new Ban(what, matches, instead);
    }

    private static boolean owner(JavaCodeUnitAccess<?> call, Class<?> type) {
        return call.getTargetOwner().isAssignableTo(type);
    }

    private static boolean method(JavaCodeUnitAccess<?> call, Class<?> type, String... names) {
        return call instanceof JavaMethodCall
                && owner(call, type)
                && Set.of(names).contains(call.getName());
    }

    private static boolean constructorOf(JavaCodeUnitAccess<?> call, Class<?>... types) {
        if (!(call instanceof JavaConstructorCall)) {
            return false;
        }
        for (Class<?> type : types) {
            if (owner(call, type)) {
                return true;
            }
        }
        return false;
    }

    /** Object's wait/notify on any receiver (a monitor wait hides from the scheduler). */
    private static boolean monitorWait(JavaCodeUnitAccess<?> call) {
        if (!(call instanceof JavaMethodCall)) {
            return false;
        }
        int parameters = call.getTarget().getRawParameterTypes().size();
        return switch (call.getName()) {
            case "wait" -> parameters <= 2;
            case "notify", "notifyAll" -> parameters == 0;
            default -> false;
        };
    }
}
