package org.ndis4j.ndis.internal;

import java.util.Map;
import java.util.TreeMap;
import org.ndis4j.registry.AdapterConfiguration;
import org.ndis4j.registry.RegistryValue;

/**
 * A registry key NDIS opens for a driver: an adapter's driver key (seeded from the
 * {@link AdapterConfiguration} the host gave when it added the device) or a driver's own Parameters
 * key. NdisWriteConfiguration changes it for the rest of the machine's life, as it would the registry.
 * Value names ignore case.
 */
final class RegistryKey {

    /** Guards values: NdisReadConfiguration and NdisWriteConfiguration are serial on a key. */
    private final Map<String, RegistryValue> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private final String path;

    RegistryKey(String path, AdapterConfiguration installed) {
        this.path = path;
        values.putAll(installed.values());
    }

    String path() {
        return path;
    }

    synchronized RegistryValue get(String name) {
        return values.get(name);
    }

    synchronized void put(String name, RegistryValue value) {
        values.put(name, value);
    }
}
