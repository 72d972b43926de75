package org.ndis4j.ndis.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.kernel.Kernel;

/**
 * The data path's state in one kernel: the NBL pools alive and the partial cancel ids handed out.
 * When the machine bug-checks, or was shut down (MiniportShutdownEx frees nothing), the pools' frame
 * memory is given back at {@link Kernel#close()} (as a reboot or power-off would), so that a test that
 * expected the crash or shut the system down does not also report the buffers stranded as a leak.
 */
final class NblRegistry {

    private final Kernel kernel;
    /** Guarded by itself. */
    private final Set<NblPool> pools = new LinkedHashSet<>();

    private final AtomicInteger nextPartialCancelId = new AtomicInteger(1);

    private NblRegistry(Kernel kernel) {
        this.kernel = kernel;
        kernel.addShutdownStep(this::reclaimIfCrashed);
    }

    static NblRegistry of(Kernel kernel) {
        return kernel.extension(NblRegistry.class, NblRegistry::new);
    }

    /** NdisGeneratePartialCancelId: a UCHAR (1..255, then wraps, skipping 0) for the high byte of cancel ids. */
    int generatePartialCancelId() {
        for (; ; ) {
            int id = nextPartialCancelId.getAndIncrement() & 0xFF;
            if (id != 0) {
                return id;
            }
        }
    }

    /** The pools alive now. */
    List<NblPool> pools() {
        synchronized (pools) {
            return new ArrayList<>(pools);
        }
    }

    void added(NblPool pool) {
        synchronized (pools) {
            pools.add(pool);
        }
    }

    void removed(NblPool pool) {
        synchronized (pools) {
            pools.remove(pool);
        }
    }

    private void reclaimIfCrashed() {
        if (!kernel.isCrashed() && !PlugAndPlay.of(kernel).isShutDown()) {
            return;
        }
        for (NblPool pool : pools()) {
            pool.reclaimAfterCrash();
        }
        synchronized (pools) {
            pools.clear();
        }
    }
}
