package org.ndis4j.ndis;

import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.filter.FilterDriver;
import org.ndis4j.ndis.internal.FilterDriverBlock;
import org.ndis4j.ndis.internal.FilterModule;
import org.ndis4j.ndis.internal.Handles;
import org.ndis4j.ndis.internal.LoadedDriver;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisFilterDriverHandle;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * The NdisFXxx functions a filter driver calls ({@code NdisFRegisterFilterDriver} →
 * {@code NdisF.registerFilterDriver}). Each checks its IRQL, resolves its handles to NDIS's objects
 * behind them and hands over to NDIS's engine.
 */
public final class NdisF {

    private NdisF() {}

    /**
     * NdisFRegisterFilterDriver, from DriverEntry. IRQL = PASSIVE_LEVEL. The filter attaches to every
     * adapter added from now on, and NDIS restarts the stacks of adapters already running to attach
     * it there, above the filters registered before it.
     */
    public static <F> NdisFilterDriverHandle registerFilterDriver(
            DriverObject driverObject, Object filterDriverContext, FilterDriver<F> filterDriverCharacteristics) {
        LoadedDriver driver = Handles.driverObject(driverObject, "NdisFRegisterFilterDriver");
        Kernel kernel = driver.kernel();
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Filter_Driver_Function, "NdisFRegisterFilterDriver");
        if (filterDriverCharacteristics == null) {
            throw Verifier.violation(
                    kernel, Rule.Handle_Invalid, 0, 0, "NdisFRegisterFilterDriver without characteristics");
        }
        return FilterDriverBlock.register(driver, filterDriverContext, filterDriverCharacteristics);
    }

    /** NdisFDeregisterFilterDriver. IRQL = PASSIVE_LEVEL. Detaches the filter from every adapter. */
    public static void deregisterFilterDriver(NdisFilterDriverHandle ndisFilterDriverHandle) {
        FilterDriverBlock filter = Handles.filterDriver(ndisFilterDriverHandle, "NdisFDeregisterFilterDriver");
        Verifier.irqlEquals(
                filter.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Filter_Driver_Function, "NdisFDeregisterFilterDriver");
        filter.deregister();
    }

    /**
     * NdisFSetAttributes, from FilterAttach. IRQL = PASSIVE_LEVEL. Sets the filter module context that
     * every handler gets back.
     */
    public static NdisStatus setAttributes(NdisFilterModuleHandle ndisFilterHandle, Object filterModuleContext) {
        FilterModule module = Handles.filterModule(ndisFilterHandle, "NdisFSetAttributes");
        Verifier.irqlEquals(
                module.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Filter_Driver_Function, "NdisFSetAttributes");
        return module.setAttributes(filterModuleContext);
    }

    /** NdisFSendNetBufferLists: passes sends down to the next module. IRQL &lt;= DISPATCH_LEVEL. */
    public static void sendNetBufferLists(
            NdisFilterModuleHandle ndisFilterHandle, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        FilterModule module = attached(ndisFilterHandle, "NdisFSendNetBufferLists");
        module.stack().data().sendBelow(module.layer("NdisFSendNetBufferLists"), netBufferLists, portNumber, sendFlags);
    }

    /** NdisFSendNetBufferListsComplete: passes send completions up. IRQL &lt;= DISPATCH_LEVEL. */
    public static void sendNetBufferListsComplete(
            NdisFilterModuleHandle ndisFilterHandle, NetBufferList netBufferLists, int sendCompleteFlags) {
        FilterModule module = attached(ndisFilterHandle, "NdisFSendNetBufferListsComplete");
        module.stack()
                .data()
                .completeAbove(module.layer("NdisFSendNetBufferListsComplete"), netBufferLists, sendCompleteFlags);
    }

    /** NdisFIndicateReceiveNetBufferLists: passes receives up. IRQL &lt;= DISPATCH_LEVEL. */
    public static void indicateReceiveNetBufferLists(
            NdisFilterModuleHandle ndisFilterHandle,
            NetBufferList netBufferLists,
            int portNumber,
            int numberOfNetBufferLists,
            int receiveFlags) {
        FilterModule module = attached(ndisFilterHandle, "NdisFIndicateReceiveNetBufferLists");
        module.stack()
                .data()
                .receiveAbove(
                        module.layer("NdisFIndicateReceiveNetBufferLists"),
                        netBufferLists,
                        portNumber,
                        numberOfNetBufferLists,
                        receiveFlags);
    }

    /** NdisFReturnNetBufferLists: passes returns down. IRQL &lt;= DISPATCH_LEVEL. */
    public static void returnNetBufferLists(
            NdisFilterModuleHandle ndisFilterHandle, NetBufferList netBufferLists, int returnFlags) {
        FilterModule module = attached(ndisFilterHandle, "NdisFReturnNetBufferLists");
        module.stack().data().returnBelow(module.layer("NdisFReturnNetBufferLists"), netBufferLists, returnFlags);
    }

    /** The module behind a data-path call, after the IRQL check. */
    private static FilterModule attached(NdisFilterModuleHandle ndisFilterHandle, String function) {
        FilterModule module = Handles.filterModule(ndisFilterHandle, function);
        Verifier.irqlAtMost(module.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Filter_Driver_Function, function);
        return module;
    }

    /**
     * NdisFOidRequest: passes an OID request (the filter's own, or one it received) to the next
     * module down. IRQL &lt;= DISPATCH_LEVEL. Returns the final status, or PENDING and later calls the
     * filter's FilterOidRequestComplete.
     */
    public static NdisStatus oidRequest(NdisFilterModuleHandle ndisFilterHandle, NdisOidRequest oidRequest) {
        FilterModule module = attached(ndisFilterHandle, "NdisFOidRequest");
        return module.stack().oids().fromFilter(module, oidRequest);
    }

    /**
     * NdisFOidRequestComplete: passes the completion of a request this filter received up the stack.
     * IRQL &lt;= DISPATCH_LEVEL.
     */
    public static void oidRequestComplete(
            NdisFilterModuleHandle ndisFilterHandle, NdisOidRequest oidRequest, NdisStatus status) {
        FilterModule module = attached(ndisFilterHandle, "NdisFOidRequestComplete");
        module.stack().oids().completeFromFilter(module, oidRequest, status);
    }

    /**
     * NdisFIndicateStatus: passes a status indication to the next module up (or the protocols).
     * IRQL &lt;= DISPATCH_LEVEL.
     */
    public static void indicateStatus(NdisFilterModuleHandle ndisFilterHandle, NdisStatusIndication statusIndication) {
        FilterModule module = attached(ndisFilterHandle, "NdisFIndicateStatus");
        module.stack().indicateFromFilter(module, statusIndication);
    }
}
