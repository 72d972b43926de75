package org.ndis4j.examples.vlanfilter;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.ndis4j.kernel.Ke;
import org.ndis4j.ndis.NdisF;
import org.ndis4j.ndis.filter.FilterAttachParameters;
import org.ndis4j.ndis.filter.FilterDriver;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;

/**
 * vlanfilter's driver entry and the FilterXxx handlers NDIS calls: a lightweight filter that counts
 * frames per EtherType both ways and applies a policy (drop EtherTypes, insert and strip an 802.1Q
 * tag) set through its vendor OID. Each handler hands over to the file of its concern:
 * {@link VlanFilterModule} (attach, detach, pause, restart), {@link VlanFilterControlPath} (OIDs and
 * the policy work item), {@link VlanFilterDataPath} (sends, receives and their returns).
 *
 * <p>FilterOidRequestComplete is not overridden: NDIS bypasses the filter for the completions of
 * requests it passed down, as it bypasses a NULL entry point.
 *
 * <pre>
 *   VlanFilterDriver vlanfilter = new VlanFilterDriver();
 *   pnp.loadDriver("vlanfilter", vlanfilter::driverEntry);   // attaches to every adapter added later
 * </pre>
 */
public final class VlanFilterDriver implements FilterDriver<VlanFilterModule> {

    /** Modules by adapter name, for hosts and tests. */
    private final Map<String, CompletableFuture<VlanFilterModule>> modules = new ConcurrentHashMap<>();

    /** DriverEntry. Runs at PASSIVE_LEVEL. Registers the filter (NdisFRegisterFilterDriver). */
    public NdisStatus driverEntry(DriverObject driverObject, String registryPath) {
        NdisF.registerFilterDriver(driverObject, null, this);
        return NdisStatus.SUCCESS;
    }

    /** The module over {@code adapterName} once FilterAttach has run there. */
    public CompletableFuture<VlanFilterModule> moduleOn(String adapterName) {
        return modules.computeIfAbsent(adapterName, name -> new CompletableFuture<>());
    }

    void attached(VlanFilterModule module) {
        moduleOn(module.adapterName()).complete(module);
    }

    void detached(VlanFilterModule module) {
        modules.remove(module.adapterName());
    }

    // ---- FilterXxx handlers -------------------------------------------------------------------

    /** FilterAttach. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus attach(
            NdisFilterModuleHandle ndisFilterHandle,
            Object filterDriverContext,
            FilterAttachParameters attachParameters) {
        return VlanFilterModule.attach(this, ndisFilterHandle, attachParameters);
    }

    /** FilterDetach. Runs at PASSIVE_LEVEL. */
    @Override
    public void detach(VlanFilterModule module) {
        module.detach(this);
    }

    /** FilterRestart. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus restart(VlanFilterModule module) {
        return module.restart();
    }

    /** FilterPause. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus pause(VlanFilterModule module) {
        return module.pause();
    }

    /** FilterStatus. Runs at IRQL &lt;= DISPATCH_LEVEL. Counts and passes every indication up unchanged. */
    @Override
    public void status(VlanFilterModule module, NdisStatusIndication statusIndication) {
        module.lastStatus = new VlanFilterModule.StatusPassed(
                statusIndication.statusCode(),
                Ke.getCurrentIrql(),
                Thread.currentThread().getName());
        module.statusIndications.incrementAndGet();
        NdisF.indicateStatus(module.handle, statusIndication);
    }

    /** FilterSendNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void sendNetBufferLists(
            VlanFilterModule module, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        VlanFilterDataPath.send(module, netBufferLists, portNumber, sendFlags);
    }

    /** FilterSendNetBufferListsComplete. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void sendNetBufferListsComplete(
            VlanFilterModule module, NetBufferList netBufferLists, int sendCompleteFlags) {
        VlanFilterDataPath.sendComplete(module, netBufferLists, sendCompleteFlags);
    }

    /** FilterReceiveNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void receiveNetBufferLists(
            VlanFilterModule module,
            NetBufferList netBufferLists,
            int portNumber,
            int numberOfNetBufferLists,
            int receiveFlags) {
        VlanFilterDataPath.receive(module, netBufferLists, portNumber, numberOfNetBufferLists, receiveFlags);
    }

    /** FilterReturnNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void returnNetBufferLists(VlanFilterModule module, NetBufferList netBufferLists, int returnFlags) {
        VlanFilterDataPath.returned(module, netBufferLists, returnFlags);
    }

    /** FilterOidRequest. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public NdisStatus oidRequest(VlanFilterModule module, NdisOidRequest oidRequest) {
        return VlanFilterControlPath.oidRequest(module, oidRequest);
    }
}
