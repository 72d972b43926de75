package org.ndis4j.tools.config;

import java.nio.file.Path;
import java.util.List;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.registry.AdapterConfiguration;
import org.ndis4j.tools.endpoint.WireSpec;

/**
 * A checked run configuration: the machine, the adapters with their registries, the drivers. Made by
 * {@link ConfigReader} from a file, or from flags alone ({@link #empty()}).
 *
 * @param kernel   the machine to boot
 * @param adapters the devices to add, in order (names unique)
 * @param drivers  the drivers to load
 */
public record RunConfiguration(KernelConfig kernel, List<Adapter> adapters, Drivers drivers) {

    public RunConfiguration {
        adapters = List.copyOf(adapters);
    }

    /** Nothing configured: default kernel, no adapters, no drivers. */
    public static RunConfiguration empty() {
        return new RunConfiguration(KernelConfig.defaults(), List.of(), Drivers.NONE);
    }

    /**
     * One adapter.
     *
     * @param name     the device name ("vnic0")
     * @param mac      the NIC's permanent (EEPROM) address, or null for one of its own
     * @param wire     where its cable goes, or null (a flag must say)
     * @param ip       its ipstack address, or null
     * @param registry its keywords, for NdisReadConfiguration
     */
    public record Adapter(
            String name, MacAddress mac, WireSpec wire, InterfaceConfig ip, AdapterConfiguration registry) {}

    /**
     * The drivers.
     *
     * @param jars      jars to load them from (each in the run's own class loader)
     * @param miniport  the miniport: a class with DriverEntry, or "vmini"; null when not given
     * @param filters   filter drivers, bottom first: classes, or "vlanfilter"
     * @param protocols protocol drivers: "ipstack" or classes
     */
    public record Drivers(List<Path> jars, String miniport, List<String> filters, List<String> protocols) {
        public static final Drivers NONE = new Drivers(List.of(), null, List.of(), List.of());

        public Drivers {
            jars = List.copyOf(jars);
            filters = List.copyOf(filters);
            protocols = List.copyOf(protocols);
        }
    }
}
