package org.ndis4j.kernel;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.ndis4j.kernel.internal.ContextState;
import org.ndis4j.kernel.internal.KernelThread;

/**
 * What the kernel knows about the thread running right now: its IRQL, the processor it is (if it is
 * one), and the driver whose code it is running. Only the owning thread writes it: a processor's
 * context is written by the thread that runs the processor now (its own, or a thread that raised an
 * interrupt while it was idle: {@link Processor#runOnRaisingThread}), and the processor's ownership
 * orders one after the other. Private to the kernel: the rest of ndis4j reads it through {@link Ke}
 * and {@link CurrentThread}.
 */
final class ThreadContext implements ContextState {

    /** How many slots {@link #EXTERNALS_BY_ID} has (a power of two). */
    static final int EXTERNAL_SLOTS = 256;

    private static final ThreadLocal<ThreadContext> EXTERNAL = ThreadLocal.withInitial(ThreadContext::newExternal);

    /**
     * External threads' contexts by thread, so that a thread dump ({@link ThreadSnapshot}) can read
     * another thread's IRQL. Weak: a thread that ends takes its entry with it. Written once per
     * context, never on a hot path.
     */
    private static final Map<Thread, ThreadContext> EXTERNALS = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Outside threads' contexts by thread id modulo the length, so that {@link #current} on an outside
     * thread (ipstack's sender, a Netty I/O thread, a test's thread) costs an array read instead of a
     * ThreadLocal lookup. {@link #EXTERNAL} stays the truth: a thread whose slot holds another
     * thread's context (two ids in one slot) looks itself up there and takes the slot back. Plain
     * reads and writes: a reader trusts an entry only when its final thread id is the reader's own,
     * and the JDK never gives a second thread that id (ids come from a counter). An entry may outlive
     * its thread until the slot is taken or its kernel closes ({@link #forgetKernel}), so it keeps
     * no closed machine alive.
     */
    private static final ThreadContext[] EXTERNALS_BY_ID = new ThreadContext[EXTERNAL_SLOTS];

    private Kernel kernel;
    private final ThreadKind kind;
    /** The id of the outside thread this context belongs to; -1 for a kernel thread's. */
    private final long threadId;

    private final int processorNumber;
    private Irql irql = Irql.PASSIVE_LEVEL;
    private String driver;
    /** The locks this thread holds, in acquisition order (grown on demand: no allocation per acquire). */
    private HeldLock[] held = new HeldLock[4];

    private int heldCount;
    /** The processor this context is, for an ISR the deterministic scheduler runs nested; else null. */
    private Processor processor;
    /**
     * On an external thread: the context of the processor it runs now in that processor's place (an
     * interrupt it raised while the processor was idle), else null. Written only by the thread itself.
     */
    private ThreadContext borrowed;

    ThreadContext(Kernel kernel, ThreadKind kind, int processorNumber) {
        this(kernel, kind, processorNumber, -1);
    }

    private ThreadContext(Kernel kernel, ThreadKind kind, int processorNumber, long threadId) {
        this.kernel = kernel;
        this.kind = kind;
        this.processorNumber = processorNumber;
        this.threadId = threadId;
    }

    /**
     * The calling thread's context. Cheap: a field read on kernel threads, an array read on an outside
     * thread (a ThreadLocal lookup the first time, or when another thread had taken its slot).
     */
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() is the same id on 17
    static ThreadContext current() {
        Thread t = Thread.currentThread();
        if (t instanceof KernelThread k) {
            return (ThreadContext) k.context();
        }
        long id = t.getId();
        int slot = slot(id);
        ThreadContext external = EXTERNALS_BY_ID[slot];
        if (external == null || external.threadId != id) {
            external = EXTERNAL.get();
            EXTERNALS_BY_ID[slot] = external;
        }
        ThreadContext processorContext = external.borrowed; // written by this same thread
        return processorContext == null ? external : processorContext;
    }

    /**
     * Forgets what an external thread (a test's) carried over from earlier work: back to
     * PASSIVE_LEVEL, no kernel, no driver. No effect on kernel threads.
     */
    @SuppressWarnings("deprecation") // as in current()
    static void resetExternal() {
        Thread t = Thread.currentThread();
        if (!(t instanceof KernelThread)) {
            int slot = slot(t.getId());
            ThreadContext cached = EXTERNALS_BY_ID[slot];
            if (cached != null && cached.threadId == t.getId()) {
                EXTERNALS_BY_ID[slot] = null;
            }
            EXTERNAL.remove();
            EXTERNALS.remove(t);
        }
    }

    /**
     * {@code kernel} closes: the slots drop the outside threads' contexts that name it, so that a
     * dead thread's entry does not keep the machine (and what it leaked) reachable. A live thread
     * finds its context through {@link #EXTERNAL} again.
     */
    static void forgetKernel(Kernel kernel) {
        for (int i = 0; i < EXTERNALS_BY_ID.length; i++) {
            ThreadContext c = EXTERNALS_BY_ID[i];
            if (c != null && c.kernel == kernel) {
                EXTERNALS_BY_ID[i] = null;
            }
        }
    }

    private static int slot(long threadId) {
        return (int) threadId & (EXTERNALS_BY_ID.length - 1);
    }

    @SuppressWarnings("deprecation") // as in current()
    private static ThreadContext newExternal() {
        ThreadContext context = new ThreadContext(
                null, ThreadKind.EXTERNAL, -1, Thread.currentThread().getId());
        EXTERNALS.put(Thread.currentThread(), context);
        return context;
    }

    /**
     * The context of {@code thread} (any thread), or null for an external thread that never had one
     * and for a kernel thread that carries none (an idle pooled deterministic thread, the hardware).
     */
    static ThreadContext of(Thread thread) {
        if (thread instanceof KernelThread k) {
            return k.context() instanceof ThreadContext c ? c : null;
        }
        ThreadContext external = EXTERNALS.get(thread);
        ThreadContext processorContext = external == null ? null : external.borrowed;
        return processorContext == null ? external : processorContext;
    }

    /**
     * True when this thread may run an idle processor's interrupt in its place: a thread from outside
     * the kernel (a Netty I/O thread, a device's timer, a test's thread) that runs no driver code now:
     * at PASSIVE_LEVEL, no driver, no lock held, not running a processor already.
     */
    boolean canRunInterrupts() {
        return kind == ThreadKind.EXTERNAL
                && borrowed == null
                && irql == Irql.PASSIVE_LEVEL
                && driver == null
                && heldCount == 0;
    }

    /** This external thread runs {@code processorContext}'s processor from now on (see {@link #current}). */
    void runAs(ThreadContext processorContext) {
        borrowed = processorContext;
        EXTERNALS_BY_ID[slot(threadId)] = this; // its ISR's and DPCs' calls take the array path
    }

    /** This external thread is itself again. */
    void endRunAs() {
        borrowed = null;
    }

    /** This context is {@code owner}'s (a processor's thread). */
    void ownedBy(Processor owner) {
        processor = owner;
    }

    @Override
    public int irqlLevel() {
        return irql.level();
    }

    @Override
    public int machineTag() {
        Kernel k = kernel;
        return k == null ? -1 : k.tag();
    }

    @Override
    public void runPreempting(Runnable interrupt) {
        if (processor == null) {
            throw new IllegalStateException("only a processor runs an interrupt nested: " + kind);
        }
        processor.runPreempting(interrupt);
    }

    /** The kernel this thread belongs to, or the last one an external thread called into; may be null. */
    Kernel kernel() {
        return kernel;
    }

    /** An external thread remembers the last kernel it called into, for reports. */
    void enter(Kernel k) {
        if (kind == ThreadKind.EXTERNAL) {
            kernel = k;
        }
    }

    ThreadKind kind() {
        return kind;
    }

    /** The processor number, or -1 when this thread is not a processor. */
    @Override
    public int processorNumber() {
        return processorNumber;
    }

    Irql irql() {
        return irql;
    }

    void setIrql(Irql newIrql) {
        irql = newIrql;
    }

    /** The driver whose code this thread is running, or null. */
    @Override
    public String driver() {
        return driver;
    }

    /** Sets the running driver and returns the previous one, to restore on the way out. */
    String enterDriver(String name) {
        String previous = driver;
        driver = name;
        return previous;
    }

    void leaveDriver(String previous) {
        driver = previous;
    }

    void lockAcquired(HeldLock lock) {
        if (heldCount == held.length) {
            held = Arrays.copyOf(held, heldCount * 2);
        }
        held[heldCount++] = lock;
    }

    /** Forgets {@code lock} (locks may be released in any order). */
    void lockReleased(HeldLock lock) {
        for (int i = heldCount - 1; i >= 0; i--) {
            if (held[i] == lock) {
                System.arraycopy(held, i + 1, held, i, heldCount - i - 1);
                held[--heldCount] = null;
                return;
            }
        }
    }

    /** The lock acquired first of those still held, or null. */
    HeldLock firstHeldLock() {
        return heldCount == 0 ? null : held[0];
    }

    /** How many locks the thread holds now (a mark for {@link #firstHeldLockSince}). */
    int heldLockCount() {
        return heldCount;
    }

    /** The first lock still held of those acquired after the first {@code mark}, or null. */
    HeldLock firstHeldLockSince(int mark) {
        return heldCount <= mark ? null : held[mark];
    }

    /** Forgets the locks acquired after the first {@code mark} (a nested ISR ended). */
    void forgetHeldLocksSince(int mark) {
        while (heldCount > mark) {
            held[--heldCount] = null;
        }
    }

    /** Forgets every lock: a routine ended (normally or with a crash) and its thread goes on. */
    void forgetHeldLocks() {
        while (heldCount > 0) {
            held[--heldCount] = null;
        }
    }
}
