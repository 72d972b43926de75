package org.ndis4j.ndis.nbl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.kernel.Kernel;

/**
 * The data path's state in one kernel: the NBL pools alive and the partial cancel ids handed out.
 * NDIS-internal. When the machine bug-checks, the pools' frame memory is given back at
 * {@link Kernel#close()} (as a reboot would), so that a test that expected the crash does not
 * also report the buffers the crash stranded as a leak.
 */
public final class NblRegistry {

    private final Kernel kernel;
    /** Guarded by itself. */
    private final Set<NetBufferListPool> pools = new LinkedHashSet<>();

    private final AtomicInteger nextPartialCancelId = new AtomicInteger(1);

    private NblRegistry(Kernel kernel) {
        this.kernel = kernel;
        kernel.addShutdownStep(this::reclaimIfCrashed);
    }

    public static NblRegistry of(Kernel kernel) {
        return kernel.extension(NblRegistry.class, NblRegistry::new);
    }

    /** NdisGeneratePartialCancelId: a UCHAR (1..255, then wraps, skipping 0) for the high byte of cancel ids. */
    public int generatePartialCancelId() {
        for (; ; ) {
            int id = nextPartialCancelId.getAndIncrement() & 0xFF;
            if (id != 0) {
                return id;
            }
        }
    }

    /** The pools alive now. */
    public List<NetBufferListPool> pools() {
        synchronized (pools) {
            return new ArrayList<>(pools);
        }
    }

    void added(NetBufferListPool pool) {
        synchronized (pools) {
            pools.add(pool);
        }
    }

    void removed(NetBufferListPool pool) {
        synchronized (pools) {
            pools.remove(pool);
        }
    }

    private void reclaimIfCrashed() {
        if (!kernel.isCrashed()) {
            return;
        }
        for (NetBufferListPool pool : pools()) {
            pool.reclaimAfterCrash();
        }
        synchronized (pools) {
            pools.clear();
        }
    }
}
