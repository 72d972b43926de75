package org.ndis4j.examples.vlanfilter;

import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Ke;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisF;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisRequestType;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * The filter's control path: FilterOidRequest answers the vendor OIDs itself and passes every other
 * request down with NdisFOidRequest (the filter has no FilterOidRequestComplete, so NDIS passes the
 * completions of those straight up). A new policy is compiled at PASSIVE_LEVEL by an NDIS I/O work
 * item allocated with the filter module handle, then the set completes with NdisFOidRequestComplete.
 *
 * <pre>
 *   set OID_VLANFILTER_POLICY (≤ DISPATCH) ─► check it ─► queue the request, NdisQueueIoWorkItem ─► PENDING
 *   work item (PASSIVE, CriticalWorkQueue) ─► compile (64 KiB table) ─► publish ─► NdisFOidRequestComplete
 *   query OID_VLANFILTER_POLICY / _STATISTICS ─► answered at once
 * </pre>
 */
final class VlanFilterControlPath {

    private VlanFilterControlPath() {}

    /** FilterOidRequest. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    static NdisStatus oidRequest(VlanFilterModule module, NdisOidRequest request) {
        return switch (request.oid()) {
            case VlanFilterOids.OID_VLANFILTER_POLICY -> policy(module, request);
            case VlanFilterOids.OID_VLANFILTER_STATISTICS ->
                request.requestType() == NdisRequestType.NdisRequestQueryInformation
                        ? request.writeInformation(module.counters.snapshot().toBytes())
                        : NdisStatus.NOT_SUPPORTED;
            default -> NdisF.oidRequest(module.handle, request);
        };
    }

    private static NdisStatus policy(VlanFilterModule module, NdisOidRequest request) {
        switch (request.requestType()) {
            case NdisRequestQueryInformation -> {
                return request.writeInformation(module.policy.policy().toBytes());
            }
            case NdisRequestSetInformation -> {
                if (request.informationBufferLength() < VlanPolicy.SIZE) {
                    return request.tooShort(VlanPolicy.SIZE);
                }
                try {
                    VlanPolicy.fromBytes(request.informationBuffer(), request.informationBufferLength());
                } catch (IllegalArgumentException bad) {
                    return NdisStatus.INVALID_DATA;
                }
                request.setBytesRead(VlanPolicy.SIZE);
                return queue(module, request);
            }
            default -> {
                return NdisStatus.NOT_SUPPORTED;
            }
        }
    }

    /** Hands a checked set to the work item; PENDING, or RESOURCES when too many wait already. */
    private static NdisStatus queue(VlanFilterModule module, NdisOidRequest request) {
        Ndis.acquireSpinLock(module.lock);
        if (module.pendingSets.size() >= VlanFilterModule.MAX_PENDING_SETS) {
            Ndis.releaseSpinLock(module.lock);
            return NdisStatus.RESOURCES;
        }
        module.pendingSets.add(request);
        boolean queueItem = !module.workScheduled;
        if (queueItem) {
            module.workScheduled = true;
            Ndis.resetEvent(module.policyIdle);
        }
        Ndis.releaseSpinLock(module.lock);
        if (queueItem) {
            Ndis.queueIoWorkItem(module.workItem, VlanFilterControlPath::applyPolicies, module);
        }
        return NdisStatus.PENDING;
    }

    /**
     * The work item routine. Runs at PASSIVE_LEVEL on a CriticalWorkQueue thread: compiles each
     * waiting policy in turn, publishes it and completes its request.
     */
    private static void applyPolicies(VlanFilterModule module, NdisIoWorkItem item) {
        while (true) {
            Ndis.acquireSpinLock(module.lock);
            NdisOidRequest request = module.pendingSets.poll();
            if (request == null) {
                module.workScheduled = false;
                Ndis.setEvent(module.policyIdle);
            }
            Ndis.releaseSpinLock(module.lock);
            if (request == null) {
                return;
            }
            VlanPolicy policy = VlanPolicy.fromBytes(request.informationBuffer(), request.informationBufferLength());
            module.policy = CompiledPolicy.compile(policy);
            module.lastApplication = new VlanFilterModule.PolicyApplication(
                    policy,
                    Ke.getCurrentIrql(),
                    CurrentThread.kind(),
                    Thread.currentThread().getName(),
                    item);
            NdisF.oidRequestComplete(module.handle, request, NdisStatus.SUCCESS);
        }
    }
}
