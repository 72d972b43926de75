package org.ndis4j.examples.ipstack;

import java.util.HashMap;
import java.util.Map;

/**
 * Which adapters ipstack binds to, and the static address each binding gets (the part of a stack's
 * configuration Windows keeps in the registry per interface). Immutable.
 */
public final class IpConfiguration {

    private final Map<String, InterfaceConfig> byAdapter;
    private final InterfaceConfig everyOther;

    private IpConfiguration(Map<String, InterfaceConfig> byAdapter, InterfaceConfig everyOther) {
        this.byAdapter = Map.copyOf(byAdapter);
        this.everyOther = everyOther;
    }

    /** Binds to the adapter named {@code adapterName} ("driver/device", as NDIS names it) only. */
    public static IpConfiguration of(String adapterName, InterfaceConfig config) {
        return new IpConfiguration(Map.of(adapterName, config), null);
    }

    /** Binds to every adapter with the same configuration (a host with one NIC). */
    public static IpConfiguration everyAdapter(InterfaceConfig config) {
        return new IpConfiguration(Map.of(), config);
    }

    /** This configuration, and {@code adapterName} with {@code config}. */
    public IpConfiguration with(String adapterName, InterfaceConfig config) {
        Map<String, InterfaceConfig> more = new HashMap<>(byAdapter);
        more.put(adapterName, config);
        return new IpConfiguration(more, everyOther);
    }

    /** The configuration for {@code adapterName}, or null: ipstack does not bind to it. */
    InterfaceConfig forAdapter(String adapterName) {
        return byAdapter.getOrDefault(adapterName, everyOther);
    }
}
