package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/**
 * An NDIS_HANDLE: what NDIS hands a driver and the driver passes back, opaque. NDIS's own structure
 * behind a handle (the miniport block, the filter block, the open block, ...) lives in NDIS's engine,
 * which resolves every handle argument to it; a handle NDIS did not make, or of the wrong kind, is a
 * verifier violation (Handle_Invalid), as a bad pointer would be in Windows.
 *
 * <p>Every handle knows its kernel, so the static entry points ({@code Ndis}, {@code NdisM},
 * {@code NdisF}) need no global state and many kernels can live in one JVM.
 */
public abstract class NdisHandle {

    private final Kernel kernel;
    private final HandleKind kind;
    private final String name;

    /** For NDIS's engine, which makes every handle. */
    protected NdisHandle(Kernel kernel, HandleKind kind, String name) {
        if (kernel == null) {
            throw new IllegalArgumentException("a handle needs a kernel");
        }
        this.kernel = kernel;
        this.kind = kind;
        this.name = name;
    }

    public final Kernel kernel() {
        return kernel;
    }

    public final HandleKind kind() {
        return kind;
    }

    /** A name for traces and reports ("vmini/vnic0"). */
    public final String name() {
        return name;
    }

    /** The driver whose object this is, for crash reports. */
    public abstract String driverName();

    @Override
    public String toString() {
        return kind + "[" + name + "]";
    }
}
