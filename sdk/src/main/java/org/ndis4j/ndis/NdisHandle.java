package org.ndis4j.ndis;

import org.ndis4j.kernel.Kernel;

/**
 * An NDIS_HANDLE. Every handle knows its kernel, so the static entry points ({@code Ndis},
 * {@code NdisM}) need no global state and many kernels can live in one JVM.
 */
public abstract class NdisHandle {

    private final Kernel kernel;
    private final HandleKind kind;
    private final String name;

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
