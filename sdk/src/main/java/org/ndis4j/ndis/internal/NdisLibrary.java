package org.ndis4j.ndis.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.registry.AdapterConfiguration;

/**
 * The NDIS library's state in one kernel: the protocols and filters registered (every new adapter
 * gets them) and interface indexes.
 */
final class NdisLibrary {

    private final List<ProtocolBlock> protocolDrivers = new CopyOnWriteArrayList<>();
    private final List<FilterDriverBlock> filterDrivers = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextIfIndex = new AtomicInteger(1);
    /** The device objects of the machine by name: a name is taken once. */
    private final Map<String, NdisDevice> devices = new ConcurrentHashMap<>();

    /** The Parameters key of each driver and filter module that opened its configuration. */
    private final Map<NdisHandle, RegistryKey> parameters = new ConcurrentHashMap<>();

    private NdisLibrary(Kernel kernel) {}

    static NdisLibrary of(Kernel kernel) {
        return kernel.extension(NdisLibrary.class, NdisLibrary::new);
    }

    int nextIfIndex() {
        return nextIfIndex.getAndIncrement();
    }

    void registered(ProtocolBlock protocol) {
        protocolDrivers.add(protocol);
    }

    void deregistered(ProtocolBlock protocol) {
        protocolDrivers.remove(protocol);
    }

    void registered(FilterDriverBlock filter) {
        filterDrivers.add(filter);
    }

    void deregistered(FilterDriverBlock filter) {
        filterDrivers.remove(filter);
    }

    /** In registration order: the first registered sits lowest in every stack. */
    List<FilterDriverBlock> filterDrivers() {
        return List.copyOf(filterDrivers);
    }

    /** False when a device of that name exists already. */
    boolean deviceRegistered(NdisDevice device) {
        return devices.putIfAbsent(device.attributes().deviceName(), device) == null;
    }

    void deviceDeregistered(NdisDevice device) {
        devices.remove(device.attributes().deviceName(), device);
    }

    /** The Parameters key of a driver or filter module (empty until it writes one). */
    RegistryKey parametersOf(NdisHandle owner) {
        return parameters.computeIfAbsent(
                owner, o -> new RegistryKey(o.name() + "\\Parameters", AdapterConfiguration.empty()));
    }

    List<ProtocolBlock> protocolDrivers() {
        return List.copyOf(protocolDrivers);
    }
}
