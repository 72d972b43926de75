package org.ndis4j.examples;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.ndis4j.examples.ipstack.EchoListener;
import org.ndis4j.examples.ipstack.EchoReply;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.examples.ipstack.IpConfiguration;
import org.ndis4j.examples.ipstack.IpCounter;
import org.ndis4j.examples.ipstack.IpInterface;
import org.ndis4j.examples.ipstack.IpStackDriver;
import org.ndis4j.examples.ipstack.IpStatistics;
import org.ndis4j.examples.vlanfilter.VlanFilterDriver;
import org.ndis4j.examples.vlanfilter.VlanFilterModule;
import org.ndis4j.examples.vmini.VminiDriver;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.VirtualNic;
import org.ndis4j.registry.AdapterConfiguration;
import org.ndis4j.testing.Await;
import org.ndis4j.wire.WirePort;

/**
 * A host on a wire: a kernel, a virtual NIC, the vmini miniport driving it, optionally the
 * vlanfilter filter over it, and ipstack bound on top with a static address. What tests, the demo
 * and {@code ndis4j ping} are made of.
 *
 * <pre>
 *   ipstack        192.0.2.1/24     (protocol)
 *   vlanfilter     (optional)       (filter)
 *   vmini                           (miniport)
 *   VirtualNic ── WirePort ── the cable (TCP to a switch or a peer, or in memory)
 * </pre>
 * {@link #close()} removes the device (ipstack unbinds, the filter detaches, vmini halts; the
 * verifier checks what each left), closes the kernel if the host booted it, then the NIC and wire.
 */
public final class IpHost implements AutoCloseable {

    /** How long {@link Builder#start} waits for ipstack to be bound. */
    public static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
    /** ipstack's bind sets the packet filter, then the multicast list. */
    private static final int BIND_OIDS = 2;

    private final Kernel kernel;
    private final boolean ownsKernel;
    private final HostMemory memory = new HostMemory(16L << 20);
    private final WirePort wire;
    private final VirtualNic nic;
    private final NdisMiniportAdapterHandle adapter;
    private final VlanFilterModule filter;
    private final IpInterface ip;
    private boolean removed;

    private IpHost(Builder b) {
        this.ownsKernel = b.kernel == null;
        this.kernel = ownsKernel ? Kernel.boot(KernelConfig.defaults().withName(b.name)) : b.kernel;
        this.wire = b.wire;
        NdisMiniportAdapterHandle added = null;
        VirtualNic built = null;
        try {
            built = VirtualNic.builder(b.name, b.wire)
                    .memory(memory)
                    .permanentAddress(b.mac)
                    .build();
            PnpManager pnp = PnpManager.of(kernel);
            VlanFilterDriver vlanfilter = b.filter ? new VlanFilterDriver() : null;
            if (vlanfilter != null) {
                pnp.loadDriver("vlanfilter", vlanfilter::driverEntry); // attaches to the device added next
            }
            added = pnp.addDevice(
                    pnp.loadDriver("vmini", VminiDriver::driverEntry), built.resources(), b.configuration);
            IpStackDriver ipstack = new IpStackDriver(IpConfiguration.of(added.name(), b.address));
            pnp.loadDriver(IpStackDriver.NAME, ipstack::driverEntry);
            this.nic = built;
            this.adapter = added;
            this.filter = vlanfilter == null ? null : get(vlanfilter.moduleOn(added.name()), "vlanfilter's module");
            this.ip = get(ipstack.bindingTo(added.name()), "ipstack's binding");
            awaitInTheStack();
            awaitReceiveFilter();
        } catch (RuntimeException e) {
            if (added != null && !kernel.isCrashed()) {
                PnpManager.of(kernel).removeDevice(added);
            }
            if (ownsKernel) {
                kernel.close();
            }
            if (built != null) {
                built.close();
            }
            throw e;
        }
    }

    /** A host named {@code name} (its kernel and NIC take the name) on {@code wire}. */
    public static Builder builder(String name, WirePort wire) {
        return new Builder(name, wire);
    }

    private <T> T get(CompletableFuture<T> future, String what) {
        await("no " + what + " after " + BIND_TIMEOUT.toSeconds() + " s", future::isDone);
        try {
            return future.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("no " + what + ": " + e.getCause(), e.getCause());
        }
    }

    /** NDIS indicates to a binding once its ProtocolBindAdapterEx returned: wait for that. */
    private void awaitInTheStack() {
        AdapterView view = AdapterView.of(adapter);
        await(
                "ipstack's binding to " + adapter.name() + " never joined the stack",
                () -> view.bindings().contains(ip.bindingHandle()));
    }

    /**
     * The bind's OID requests (packet filter, multicast list) pend in NDIS's queue: until the packet
     * filter is set the NIC receives nothing, so a host is not ready before both have completed.
     */
    private void awaitReceiveFilter() {
        await("ipstack's packet filter on " + adapter.name() + " never set", () -> {
            IpStatistics s = ip.statistics();
            return s.get(IpCounter.OIDS_COMPLETED) + s.get(IpCounter.OIDS_FAILED) >= BIND_OIDS;
        });
        if (ip.statistics().get(IpCounter.OIDS_FAILED) > 0) {
            throw new IllegalStateException("ipstack's packet filter or multicast list failed on " + adapter.name());
        }
    }

    /**
     * Waits up to {@link #BIND_TIMEOUT} for {@code condition} through the test kit's wait, which also
     * runs inside a deterministic run (on its virtual clock); a crash of the kernel ends it with the
     * kernel's bug check, a time-out with {@code failure}.
     */
    private void await(String failure, BooleanSupplier condition) {
        try {
            Await.until(kernel, failure, BIND_TIMEOUT, condition);
        } catch (AssertionError e) {
            kernel.checkAlive();
            throw new IllegalStateException(failure);
        }
    }

    public Kernel kernel() {
        return kernel;
    }

    public VirtualNic nic() {
        return nic;
    }

    public NdisMiniportAdapterHandle adapter() {
        return adapter;
    }

    /** ipstack's interface on the adapter. */
    public IpInterface ip() {
        return ip;
    }

    /** The filter module over the adapter; empty when the host was built without it. */
    public Optional<VlanFilterModule> filter() {
        return Optional.ofNullable(filter);
    }

    public HostMemory memory() {
        return memory;
    }

    /**
     * One echo request; the future ends with the reply, or empty after {@code timeout} (or at once
     * when ipstack could not send it).
     */
    public CompletableFuture<Optional<EchoReply>> ping(
            int target, int identifier, int sequence, int dataLength, Duration timeout) {
        CompletableFuture<Optional<EchoReply>> result = new CompletableFuture<>();
        boolean sent = ip.ping(target, identifier, sequence, dataLength, timeout, new EchoListener() {
            @Override
            public void replied(EchoReply reply) {
                result.complete(Optional.of(reply));
            }

            @Override
            public void timedOut(int id, int seq) {
                result.complete(Optional.empty());
            }
        });
        if (!sent) {
            result.complete(Optional.empty());
        }
        return result;
    }

    /** Removes the device: ipstack unbinds, the filter detaches, vmini halts. Idempotent. */
    public void removeDevice() {
        if (!removed && !kernel.isCrashed()) {
            removed = true;
            PnpManager.of(kernel).removeDevice(adapter);
        }
    }

    @Override
    public void close() {
        try {
            removeDevice();
            if (ownsKernel) {
                kernel.close();
            }
        } finally {
            nic.close();
            wire.close();
        }
    }

    @Override
    public String toString() {
        return kernel.name() + " " + ip;
    }

    /** How a host is built. */
    public static final class Builder {
        private final String name;
        private final WirePort wire;
        private MacAddress mac;
        private InterfaceConfig address;
        private boolean filter = true;
        private Kernel kernel;
        private AdapterConfiguration configuration = AdapterConfiguration.empty();

        private Builder(String name, WirePort wire) {
            this.name = name;
            this.wire = wire;
        }

        public Builder mac(MacAddress value) {
            mac = value;
            return this;
        }

        public Builder address(InterfaceConfig value) {
            address = value;
            return this;
        }

        /** With the vlanfilter filter between vmini and ipstack (the default), or without. */
        public Builder filter(boolean value) {
            filter = value;
            return this;
        }

        /** The adapter's registry (*JumboPacket, NetworkAddress, …) that vmini reads at initialize. */
        public Builder configuration(AdapterConfiguration value) {
            configuration = value;
            return this;
        }

        /** Runs on {@code value} (a test's kernel) instead of booting one; the host does not close it. */
        public Builder kernel(Kernel value) {
            kernel = value;
            return this;
        }

        public IpHost start() {
            if (mac == null || address == null) {
                throw new IllegalStateException("a host needs a MAC and an address");
            }
            return new IpHost(this);
        }
    }
}
