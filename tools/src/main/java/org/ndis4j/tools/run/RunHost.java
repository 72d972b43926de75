package org.ndis4j.tools.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ndis4j.examples.ipstack.IpConfiguration;
import org.ndis4j.examples.ipstack.IpInterface;
import org.ndis4j.examples.ipstack.IpStackDriver;
import org.ndis4j.examples.vlanfilter.VlanFilterDriver;
import org.ndis4j.examples.vmini.VminiDriver;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.DriverEntry;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.VirtualNic;
import org.ndis4j.tools.config.RunConfiguration;
import org.ndis4j.wire.WirePort;

/**
 * What {@code ndis4j run} runs: a kernel, a virtual NIC per adapter on its wire (TCP or TAP), the user's
 * filters (loaded first, so they attach to each device), the miniport with a device per adapter
 * (its registry the adapter's keywords), then the protocols, which bind to every running adapter.
 * {@link #halt()} undoes it the way Windows would at shutdown of the drivers: devices removed (the
 * verifier checks what each left), drivers unloaded, the kernel closed.
 */
public final class RunHost {

    /** How long to wait for ipstack's bindings. */
    static final long BIND_TIMEOUT_SECONDS = 30;

    /** Shared memory each NIC's bus offers: enough for jumbo buffers on 4096-descriptor rings. */
    static final long BUS_MEMORY_BYTES = 128L << 20;

    /** One adapter as it runs. */
    public record Adapter(
            RunConfiguration.Adapter config, VirtualNic nic, WirePort wire, NdisMiniportAdapterHandle handle) {}

    private final Kernel kernel;
    private final List<Adapter> adapters = new ArrayList<>();
    private final List<AutoCloseable> hardware = new ArrayList<>();
    private final Map<String, IpInterface> ipInterfaces = new ConcurrentHashMap<>();
    private boolean halted;

    private RunHost(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Boots and starts everything {@code run} says. Throws what failed: a {@code BugCheckException}
     * when a driver broke a rule (the kernel holds the report), {@link UsageException}, or an
     * {@code UncheckedIOException} for a wire that cannot be opened (an address in use, a TAP refused). On failure what was made is closed,
     * except a crashed kernel's report.
     */
    public static RunHost start(RunConfiguration run, DriverLoader loader) {
        RunHost host = new RunHost(Kernel.boot(run.kernel().withName("run")));
        try {
            host.startDrivers(run, loader);
            return host;
        } catch (RuntimeException | Error e) {
            host.closeAfterFailure();
            throw e;
        }
    }

    private void startDrivers(RunConfiguration run, DriverLoader loader) {
        PnpManager pnp = PnpManager.of(kernel);
        for (String filter : run.drivers().filters()) {
            DriverEntry entry =
                    filter.equals("vlanfilter") ? new VlanFilterDriver()::driverEntry : loader.driverEntry(filter);
            pnp.loadDriver(filter.equals("vlanfilter") ? "vlanfilter" : DriverLoader.driverName(filter), entry);
        }
        String miniport = run.drivers().miniport();
        DriverObject driver = miniport.equals("vmini")
                ? pnp.loadDriver("vmini", VminiDriver::driverEntry)
                : pnp.loadDriver(DriverLoader.driverName(miniport), loader.driverEntry(miniport));
        for (RunConfiguration.Adapter a : run.adapters()) {
            WirePort wire = a.wire().open();
            hardware.add(wire);
            VirtualNic.Builder nic = VirtualNic.builder(a.name(), wire).memory(new HostMemory(BUS_MEMORY_BYTES));
            MacAddress mac = a.mac() != null ? a.mac() : a.ip() != null ? defaultMac(a.ip().address()) : null;
            if (mac != null) {
                nic.permanentAddress(mac);
            }
            VirtualNic built = nic.build();
            hardware.add(built);
            NdisMiniportAdapterHandle handle = pnp.addDevice(driver, built.resources(), a.registry());
            adapters.add(new Adapter(a, built, wire, handle));
        }
        for (String protocol : run.drivers().protocols()) {
            if (protocol.equals("ipstack")) {
                startIpstack(pnp);
            } else {
                pnp.loadDriver(DriverLoader.driverName(protocol), loader.driverEntry(protocol));
            }
        }
    }

    private void startIpstack(PnpManager pnp) {
        IpConfiguration ip = null;
        for (Adapter a : adapters) {
            if (a.config().ip() != null) {
                ip = ip == null
                        ? IpConfiguration.of(a.handle().name(), a.config().ip())
                        : ip.with(a.handle().name(), a.config().ip());
            }
        }
        if (ip == null) {
            throw new UsageException(
                    "the ipstack protocol needs an address: --ip A.B.C.D/LEN, or \"ip\" on an adapter");
        }
        IpStackDriver ipstack = new IpStackDriver(ip);
        pnp.loadDriver(IpStackDriver.NAME, ipstack::driverEntry);
        for (Adapter a : adapters) {
            if (a.config().ip() != null) {
                ipInterfaces.put(
                        a.config().name(),
                        await(ipstack.bindingTo(a.handle().name()), a.config().name()));
            }
        }
    }

    private IpInterface await(CompletableFuture<IpInterface> binding, String adapter) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BIND_TIMEOUT_SECONDS);
        while (true) {
            kernel.checkAlive(); // a driver that crashed while binding ends the wait with its bug check
            try {
                return binding.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "ipstack did not bind to " + adapter + " in " + BIND_TIMEOUT_SECONDS + " s");
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "ipstack could not bind to " + adapter + ": " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while ipstack binds", e);
            }
        }
    }

    /** 02:00 and the address's four bytes, as {@code ndis4j ping} makes it. */
    static MacAddress defaultMac(int address) {
        return new MacAddress(0x0200_0000_0000L | (address & 0xFFFF_FFFFL));
    }

    public Kernel kernel() {
        return kernel;
    }

    public List<Adapter> adapters() {
        return Collections.unmodifiableList(adapters);
    }

    /** ipstack's interface on the adapter named {@code name}, or null. */
    public IpInterface ip(String name) {
        return ipInterfaces.get(name);
    }

    /** The first adapter's ipstack interface, or null. */
    public IpInterface firstIp() {
        for (Adapter a : adapters) {
            IpInterface ip = ipInterfaces.get(a.config().name());
            if (ip != null) {
                return ip;
            }
        }
        return null;
    }

    /**
     * Halts cleanly: every device removed (protocols unbind, filters detach, MiniportHaltEx, the
     * verifier's halt-time checks), every driver unloaded, the kernel closed, then the NICs and
     * wires. A rule broken on the way throws its {@code BugCheckException}; the hardware is closed
     * either way.
     */
    public void halt() {
        if (halted) {
            return;
        }
        halted = true;
        try {
            kernel.close();
        } finally {
            closeHardware();
        }
    }

    /** Closes what a crash left running (threads, NICs, wires); the kernel keeps its report. */
    public void closeAfterFailure() {
        halted = true;
        try {
            kernel.close(); // on a crashed machine only its threads stop: the report stays
        } catch (RuntimeException ignored) {
            // the first failure is the one to report
        } finally {
            closeHardware();
        }
    }

    private void closeHardware() {
        List<AutoCloseable> reverse = new ArrayList<>(hardware);
        Collections.reverse(reverse);
        for (AutoCloseable c : reverse) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
    }
}
