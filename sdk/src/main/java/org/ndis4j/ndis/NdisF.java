package org.ndis4j.ndis;

import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/** The NdisFXxx functions a filter driver calls ({@code NdisFRegisterFilterDriver} → {@code NdisF.registerFilterDriver}). */
public final class NdisF {

    private NdisF() {}

    /**
     * NdisFRegisterFilterDriver, from DriverEntry. IRQL = PASSIVE_LEVEL. The filter attaches to every
     * adapter added from now on, and NDIS restarts the stacks of adapters already running to attach
     * it there, above the filters registered before it.
     */
    public static <F> NdisFilterDriverHandle registerFilterDriver(
            DriverObject driverObject, Object filterDriverContext, FilterDriver<F> filterDriverCharacteristics) {
        Kernel kernel = driverObject.kernel();
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Filter_Driver_Function, "NdisFRegisterFilterDriver");
        if (filterDriverCharacteristics == null) {
            throw Verifier.violation(
                    kernel, Rule.Handle_Invalid, 0, 0, "NdisFRegisterFilterDriver without characteristics");
        }
        NdisFilterDriverHandle handle =
                new NdisFilterDriverHandle(driverObject, filterDriverContext, filterDriverCharacteristics);
        NdisLibrary.of(kernel).registered(handle);
        PnpManager.of(kernel).filterRegistered(handle);
        return handle;
    }

    /** NdisFDeregisterFilterDriver. IRQL = PASSIVE_LEVEL. Detaches the filter from every adapter. */
    public static void deregisterFilterDriver(NdisFilterDriverHandle ndisFilterDriverHandle) {
        Kernel kernel = Ndis.kernelOf(ndisFilterDriverHandle, "NdisFDeregisterFilterDriver");
        Verifier.irqlEquals(
                kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Filter_Driver_Function, "NdisFDeregisterFilterDriver");
        NdisLibrary.of(kernel).deregistered(ndisFilterDriverHandle);
        PnpManager.of(kernel).filterDeregistered(ndisFilterDriverHandle);
    }

    /**
     * NdisFSetAttributes, from FilterAttach. IRQL = PASSIVE_LEVEL. Sets the filter module context that
     * every handler gets back.
     */
    public static NdisStatus setAttributes(NdisFilterModuleHandle ndisFilterHandle, Object filterModuleContext) {
        Kernel kernel = Ndis.kernelOf(ndisFilterHandle, "NdisFSetAttributes");
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Filter_Driver_Function, "NdisFSetAttributes");
        if (ndisFilterHandle.state() != FilterModuleState.Attaching) {
            throw Verifier.violation(
                    kernel,
                    Rule.Init_SetAttributes,
                    ndisFilterHandle.state().ordinal(),
                    0,
                    "NdisFSetAttributes outside FilterAttach (" + ndisFilterHandle.name() + " is "
                            + ndisFilterHandle.state() + ")");
        }
        if (filterModuleContext == null) {
            return NdisStatus.INVALID_PARAMETER;
        }
        ndisFilterHandle.setContext(filterModuleContext);
        return NdisStatus.SUCCESS;
    }

    /** NdisFSendNetBufferLists: passes sends down to the next module. IRQL &lt;= DISPATCH_LEVEL. */
    public static void sendNetBufferLists(
            NdisFilterModuleHandle ndisFilterHandle,
            org.ndis4j.ndis.nbl.NetBufferList netBufferLists,
            int portNumber,
            int sendFlags) {
        int layer = layerOf(ndisFilterHandle, "NdisFSendNetBufferLists");
        ndisFilterHandle.stack.data().sendBelow(layer, netBufferLists, portNumber, sendFlags);
    }

    /** NdisFSendNetBufferListsComplete: passes send completions up. IRQL &lt;= DISPATCH_LEVEL. */
    public static void sendNetBufferListsComplete(
            NdisFilterModuleHandle ndisFilterHandle,
            org.ndis4j.ndis.nbl.NetBufferList netBufferLists,
            int sendCompleteFlags) {
        int layer = layerOf(ndisFilterHandle, "NdisFSendNetBufferListsComplete");
        ndisFilterHandle.stack.data().completeAbove(layer, netBufferLists, sendCompleteFlags);
    }

    /** NdisFIndicateReceiveNetBufferLists: passes receives up. IRQL &lt;= DISPATCH_LEVEL. */
    public static void indicateReceiveNetBufferLists(
            NdisFilterModuleHandle ndisFilterHandle,
            org.ndis4j.ndis.nbl.NetBufferList netBufferLists,
            int portNumber,
            int numberOfNetBufferLists,
            int receiveFlags) {
        int layer = layerOf(ndisFilterHandle, "NdisFIndicateReceiveNetBufferLists");
        ndisFilterHandle
                .stack
                .data()
                .receiveAbove(layer, netBufferLists, portNumber, numberOfNetBufferLists, receiveFlags);
    }

    /** NdisFReturnNetBufferLists: passes returns down. IRQL &lt;= DISPATCH_LEVEL. */
    public static void returnNetBufferLists(
            NdisFilterModuleHandle ndisFilterHandle,
            org.ndis4j.ndis.nbl.NetBufferList netBufferLists,
            int returnFlags) {
        int layer = layerOf(ndisFilterHandle, "NdisFReturnNetBufferLists");
        ndisFilterHandle.stack.data().returnBelow(layer, netBufferLists, returnFlags);
    }

    private static int layerOf(NdisFilterModuleHandle module, String function) {
        Kernel kernel = Ndis.kernelOf(module, function);
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Filter_Driver_Function, function);
        int layer = module.stack.filters().indexOf(module);
        if (layer < 0) {
            throw Verifier.violation(
                    kernel,
                    Rule.Handle_Invalid,
                    3,
                    0,
                    function + " from a module that is not attached (" + module.name() + ")");
        }
        return layer;
    }

    /**
     * NdisFOidRequest: passes an OID request (the filter's own, or one it received) to the next
     * module down. IRQL &lt;= DISPATCH_LEVEL. Returns the final status, or PENDING and later calls the
     * filter's FilterOidRequestComplete.
     */
    public static NdisStatus oidRequest(
            NdisFilterModuleHandle ndisFilterHandle, org.ndis4j.ndis.oid.NdisOidRequest oidRequest) {
        Kernel kernel = Ndis.kernelOf(ndisFilterHandle, "NdisFOidRequest");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Filter_Driver_Function, "NdisFOidRequest");
        return ndisFilterHandle.stack.oids().fromFilter(ndisFilterHandle, oidRequest);
    }

    /**
     * NdisFOidRequestComplete: passes the completion of a request this filter received up the stack.
     * IRQL &lt;= DISPATCH_LEVEL.
     */
    public static void oidRequestComplete(
            NdisFilterModuleHandle ndisFilterHandle, org.ndis4j.ndis.oid.NdisOidRequest oidRequest, NdisStatus status) {
        Kernel kernel = Ndis.kernelOf(ndisFilterHandle, "NdisFOidRequestComplete");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Filter_Driver_Function, "NdisFOidRequestComplete");
        ndisFilterHandle.stack.oids().completeFromFilter(ndisFilterHandle, oidRequest, status);
    }

    /**
     * NdisFIndicateStatus: passes a status indication to the next module up (or the protocols).
     * IRQL &lt;= DISPATCH_LEVEL.
     */
    public static void indicateStatus(NdisFilterModuleHandle ndisFilterHandle, NdisStatusIndication statusIndication) {
        Kernel kernel = Ndis.kernelOf(ndisFilterHandle, "NdisFIndicateStatus");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Filter_Driver_Function, "NdisFIndicateStatus");
        ndisFilterHandle.stack.indicateFromFilter(ndisFilterHandle, statusIndication);
    }
}
