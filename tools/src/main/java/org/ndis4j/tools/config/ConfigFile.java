package org.ndis4j.tools.config;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The run configuration file as JSON, bound by Jackson: every key optional, no other key allowed.
 * {@link ConfigReader} checks the values and makes a {@link RunConfiguration}.
 */
record ConfigFile(Kernel kernel, List<Adapter> adapters, Drivers drivers) {

    /** {@code "kernel"}: the simulated machine. */
    record Kernel(
            Integer processors,
            Integer criticalWorkers,
            Integer delayedWorkers,
            String verifier,
            Long dpcTimeoutMillis,
            Long dpcWatchdogMillis,
            Long ndisWatchdogMillis) {}

    /** One of {@code "adapters"}: a virtual NIC, its wire, its address for ipstack, its registry. */
    record Adapter(String name, String mac, String wire, String ip, Map<String, JsonNode> keywords) {}

    /** {@code "drivers"}: what to load, from which jars. */
    record Drivers(List<String> jars, String miniport, List<String> filters, List<String> protocols) {}
}
