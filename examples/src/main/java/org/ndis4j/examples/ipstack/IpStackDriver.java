package org.ndis4j.examples.ipstack;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;

/**
 * ipstack's driver entry and the ProtocolXxx handlers NDIS calls (a protocol's counterpart of
 * netvmini's miniport.c). Each handler hands over to the binding it is for ({@link IpBinding}); the
 * driver itself keeps only what a C driver keeps in its globals: its handle, its configuration and
 * its bindings.
 *
 * <pre>
 *   IpStackDriver ipstack = new IpStackDriver(IpConfiguration.everyAdapter(InterfaceConfig.parse("192.0.2.1/24")));
 *   pnp.loadDriver("ipstack", ipstack::driverEntry);        // NDIS binds it to every running adapter
 *   IpInterface ip = ipstack.bindingTo(adapter.name()).join();
 * </pre>
 */
public final class IpStackDriver implements ProtocolDriver<IpBinding> {

    /** The protocol's name, as NDIS traces it. */
    public static final String NAME = "ipstack";

    private final IpConfiguration configuration;
    private volatile NdisProtocolDriverHandle handle;
    /** Bound adapters by name: written at bind and unbind (PASSIVE_LEVEL), read by hosts. */
    private final Map<String, CompletableFuture<IpInterface>> bindings = new ConcurrentHashMap<>();

    public IpStackDriver(IpConfiguration configuration) {
        this.configuration = configuration;
    }

    /** DriverEntry. Runs at PASSIVE_LEVEL. Registers the protocol; NDIS then binds it. */
    public NdisStatus driverEntry(DriverObject driverObject, String registryPath) {
        handle = Ndis.registerProtocolDriver(driverObject.kernel(), this, NAME, this);
        return NdisStatus.SUCCESS;
    }

    /**
     * The interface on {@code adapterName}, once NDIS has bound ipstack to it (ProtocolBindAdapterEx
     * returned). Hosts wait on it; a binding that goes away is replaced by a new future.
     */
    public CompletableFuture<IpInterface> bindingTo(String adapterName) {
        return bindings.computeIfAbsent(adapterName, name -> new CompletableFuture<>());
    }

    IpConfiguration configuration() {
        return configuration;
    }

    void bound(IpBinding binding) {
        bindingTo(binding.adapterName()).complete(binding.api());
    }

    void unbound(IpBinding binding) {
        bindings.remove(binding.adapterName());
    }

    // ---- ProtocolXxx handlers -----------------------------------------------------------------

    /** ProtocolBindAdapterEx. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus bindAdapterEx(
            Object protocolDriverContext, NdisBindContext bindContext, NdisBindParameters bindParameters) {
        return IpBinding.bind(this, handle, bindContext, bindParameters);
    }

    /** ProtocolUnbindAdapterEx. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus unbindAdapterEx(NdisBindContext unbindContext, IpBinding binding) {
        return binding.unbind();
    }

    /** ProtocolStatusEx. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void statusEx(IpBinding binding, NdisStatusIndication statusIndication) {
        binding.statusEx(statusIndication);
    }

    /** ProtocolReceiveNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void receiveNetBufferLists(
            IpBinding binding, NetBufferList netBufferLists, int portNumber, int count, int receiveFlags) {
        binding.receive(netBufferLists, receiveFlags);
    }

    /** ProtocolSendNetBufferListsComplete. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void sendNetBufferListsComplete(IpBinding binding, NetBufferList netBufferLists, int sendCompleteFlags) {
        binding.sendComplete(netBufferLists);
    }

    /** ProtocolOidRequestComplete. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void oidRequestComplete(IpBinding binding, NdisOidRequest oidRequest, NdisStatus status) {
        binding.oidRequestComplete(oidRequest, status);
    }
}
