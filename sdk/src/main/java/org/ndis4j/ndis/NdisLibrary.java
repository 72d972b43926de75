package org.ndis4j.ndis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.kernel.Kernel;

/** The NDIS library's state in one kernel: registered drivers, interface indexes, fault knobs. */
final class NdisLibrary {

    private final Kernel kernel;
    private final List<NdisMiniportDriverHandle> miniportDrivers = new CopyOnWriteArrayList<>();
    private final List<NdisProtocolDriverHandle> protocolDrivers = new CopyOnWriteArrayList<>();
    private final List<NdisFilterDriverHandle> filterDrivers = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextIfIndex = new AtomicInteger(1);
    private final FaultInjection faults = new FaultInjection();

    private NdisLibrary(Kernel kernel) {
        this.kernel = kernel;
    }

    static NdisLibrary of(Kernel kernel) {
        return kernel.extension(NdisLibrary.class, NdisLibrary::new);
    }

    Kernel kernel() {
        return kernel;
    }

    FaultInjection faults() {
        return faults;
    }

    int nextIfIndex() {
        return nextIfIndex.getAndIncrement();
    }

    void registered(NdisMiniportDriverHandle driver) {
        miniportDrivers.add(driver);
    }

    void deregistered(NdisMiniportDriverHandle driver) {
        miniportDrivers.remove(driver);
    }

    void registered(NdisProtocolDriverHandle protocol) {
        protocolDrivers.add(protocol);
    }

    void deregistered(NdisProtocolDriverHandle protocol) {
        protocolDrivers.remove(protocol);
    }

    void registered(NdisFilterDriverHandle filter) {
        filterDrivers.add(filter);
    }

    void deregistered(NdisFilterDriverHandle filter) {
        filterDrivers.remove(filter);
    }

    /** In registration order: the first registered sits lowest in every stack. */
    List<NdisFilterDriverHandle> filterDrivers() {
        return List.copyOf(filterDrivers);
    }

    List<NdisProtocolDriverHandle> protocolDrivers() {
        return List.copyOf(protocolDrivers);
    }

    List<NdisMiniportDriverHandle> miniportDrivers() {
        return List.copyOf(miniportDrivers);
    }
}
