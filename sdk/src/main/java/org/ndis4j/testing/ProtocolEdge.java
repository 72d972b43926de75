package org.ndis4j.testing;

import java.time.Duration;
import java.util.function.Function;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;

/**
 * A protocol driver bound to one adapter, for tests and benchmarks: the upper edge a test drives. It
 * sends NBL chains down (NdisSendNetBufferLists, with its binding stamped as each NBL's
 * SourceHandle), returns indicated ones (NdisReturnNetBufferLists), cancels sends
 * (NdisCancelSendNetBufferLists), and hands what comes up to an {@link Upper}. It is a real binding:
 * the NBLs pass the adapter's filters, and NDIS checks every rule it checks for any protocol.
 *
 * <pre>
 *   ProtocolEdge edge = ProtocolEdge.bind(adapter, upper);         // waits until bound
 *   edge.sendNetBufferLists(chain, NDIS_DEFAULT_PORT_NUMBER, 0);  // → MiniportSendNetBufferLists
 *   // upper.sendNetBufferListsComplete(chain, flags) when the miniport completes them
 *   // upper.receiveNetBufferLists(chain, ...) on each indication; then:
 *   edge.returnNetBufferLists(chain, 0);                           // → MiniportReturnNetBufferLists
 * </pre>
 * It binds to its adapter only, and unbinds when the device is removed. {@link RecordingProtocol}
 * is the frame-level recorder built on it.
 */
public final class ProtocolEdge {

    /** How long {@link #bind} waits for NDIS to bind the protocol. */
    public static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What comes up through the binding: ProtocolReceiveNetBufferLists and
     * ProtocolSendNetBufferListsComplete; status indications, OID completions and the unbind if the
     * owner wants them.
     */
    public interface Upper {

        /**
         * ProtocolReceiveNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. Unless {@code receiveFlags}
         * has NDIS_RECEIVE_FLAGS_RESOURCES the edge's owner owns the NBLs and gives them back with
         * {@link #returnNetBufferLists} (now or later); with it, it is done with them on return.
         */
        void receiveNetBufferLists(
                NetBufferList netBufferLists, int portNumber, int numberOfNetBufferLists, int receiveFlags);

        /**
         * ProtocolSendNetBufferListsComplete. Runs at IRQL &lt;= DISPATCH_LEVEL. Each NBL carries its
         * final status; the sender owns them again.
         */
        void sendNetBufferListsComplete(NetBufferList netBufferLists, int sendCompleteFlags);

        /** ProtocolStatusEx: a status indication from below. Runs at IRQL &lt;= DISPATCH_LEVEL. */
        default void statusEx(NdisStatusIndication statusIndication) {}

        /**
         * ProtocolOidRequestComplete: a request {@link #oidRequest} returned PENDING for completed. Runs
         * at IRQL &lt;= DISPATCH_LEVEL.
         */
        default void oidRequestComplete(NdisOidRequest oidRequest, NdisStatus status) {}

        /**
         * ProtocolUnbindAdapterEx, before the edge closes the binding: the last moment to free what
         * was allocated for it. Runs at PASSIVE_LEVEL, with the binding paused.
         */
        default void unbindAdapterEx() {}
    }

    private final NdisMiniportAdapterHandle adapter;
    private final Upper upper;
    private volatile NdisProtocolDriverHandle protocol;
    private volatile NdisBindingHandle binding;
    private volatile NdisBindParameters bindParameters;

    private ProtocolEdge(NdisMiniportAdapterHandle adapter, Function<ProtocolEdge, Upper> upper) {
        this.adapter = adapter;
        this.upper = upper.apply(this);
    }

    /**
     * Registers a protocol driver that binds to {@code adapter} (a Running adapter) and waits until it
     * is bound; what comes up goes to {@code upper}. Runs at PASSIVE_LEVEL.
     */
    public static ProtocolEdge bind(NdisMiniportAdapterHandle adapter, Upper upper) {
        if (upper == null) {
            throw new IllegalArgumentException("ProtocolEdge.bind needs an adapter and an upper edge");
        }
        return bind(adapter, edge -> upper);
    }

    /**
     * The same, for an upper edge that needs the edge itself (to return NBLs from its receive
     * handler): {@code upper} makes it from the edge before NDIS can call it.
     */
    public static ProtocolEdge bind(NdisMiniportAdapterHandle adapter, Function<ProtocolEdge, Upper> upper) {
        if (adapter == null || upper == null) {
            throw new IllegalArgumentException("ProtocolEdge.bind needs an adapter and an upper edge");
        }
        ProtocolEdge edge = new ProtocolEdge(adapter, upper);
        Kernel kernel = adapter.kernel();
        String name = "edge@" + adapter.name();
        // Registered from a DriverEntry, as a protocol driver is: the bind NDIS queues then runs after
        // the registration returned, so the handle is there when the protocol opens the adapter.
        PnpManager.of(kernel).loadDriver(name, (driverObject, registryPath) -> {
            edge.protocol = Ndis.registerProtocolDriver(kernel, null, name, edge.new Handlers());
            return NdisStatus.SUCCESS;
        });
        edge.awaitBound(kernel);
        return edge;
    }

    private void awaitBound(Kernel kernel) {
        // Bound once ProtocolBindAdapterEx has returned and NDIS put the binding in the stack: from then
        // on receives and status reach it. A bug check anywhere ends the wait at once.
        AdapterView view = AdapterView.of(adapter);
        Await.until(
                kernel,
                "a binding to " + adapter.name() + " (is the adapter Running?)",
                BIND_TIMEOUT,
                () -> binding != null && view.bindings().contains(binding));
    }

    public NdisMiniportAdapterHandle adapter() {
        return adapter;
    }

    /** The protocol driver's handle (NdisRegisterProtocolDriver), e.g. to allocate a pool with. */
    public NdisProtocolDriverHandle protocolHandle() {
        return protocol;
    }

    /** What NDIS told the protocol at ProtocolBindAdapterEx: MTU, MAC address, link state then. */
    public NdisBindParameters bindParameters() {
        return bindParameters;
    }

    /**
     * NdisOidRequest on the binding. IRQL &lt;= DISPATCH_LEVEL. Returns the final status, or PENDING and
     * later calls {@link Upper#oidRequestComplete}.
     */
    public NdisStatus oidRequest(NdisOidRequest oidRequest) {
        return Ndis.oidRequest(binding, oidRequest);
    }

    /**
     * NdisSendNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. Stamps the binding as each NBL's SourceHandle
     * first, as a protocol must. Running or Pausing: NDIS calls MiniportSendNetBufferLists (with
     * NDIS_SEND_FLAGS_DISPATCH_LEVEL set or cleared to match the IRQL; while Pausing the miniport
     * completes them with NDIS_STATUS_PAUSED); Paused or Restarting: NDIS completes the NBLs itself
     * with NDIS_STATUS_PAUSED without calling the miniport.
     */
    public void sendNetBufferLists(NetBufferList netBufferLists, int portNumber, int sendFlags) {
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
            nbl.setSourceHandle(binding);
        }
        Ndis.sendNetBufferLists(binding, netBufferLists, portNumber, sendFlags);
    }

    /** NdisReturnNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. NDIS calls MiniportReturnNetBufferLists. */
    public void returnNetBufferLists(NetBufferList netBufferLists, int returnFlags) {
        Ndis.returnNetBufferLists(binding, netBufferLists, returnFlags);
    }

    /** NdisCancelSendNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. NDIS calls MiniportCancelSend. */
    public void cancelSendNetBufferLists(long cancelId) {
        Ndis.cancelSendNetBufferLists(binding, cancelId);
    }

    /** NBLs sent to the miniport and not completed. */
    public int sendsOutstanding() {
        return AdapterView.of(adapter).sendsOutstanding();
    }

    /** NBLs the miniport indicated and NDIS has not returned (an indication in progress included). */
    public int receivesOutstanding() {
        return AdapterView.of(adapter).receivesOutstanding();
    }

    /** The protocol's handlers: bind to the edge's adapter only, pass the data path to {@link Upper}. */
    private final class Handlers implements ProtocolDriver<ProtocolEdge> {

        @Override
        public NdisStatus bindAdapterEx(
                Object protocolDriverContext, NdisBindContext bindContext, NdisBindParameters bindParameters) {
            if (!bindParameters.adapterName().equals(adapter.name())) {
                return NdisStatus.NOT_ACCEPTED;
            }
            ProtocolEdge.this.bindParameters = bindParameters;
            binding = Ndis.openAdapterEx(protocol, ProtocolEdge.this, bindContext);
            Await.changed();
            return NdisStatus.SUCCESS;
        }

        @Override
        public NdisStatus unbindAdapterEx(NdisBindContext unbindContext, ProtocolEdge edge) {
            upper.unbindAdapterEx();
            return Ndis.closeAdapterEx(binding);
        }

        @Override
        public void statusEx(ProtocolEdge edge, NdisStatusIndication statusIndication) {
            upper.statusEx(statusIndication);
        }

        @Override
        public void oidRequestComplete(ProtocolEdge edge, NdisOidRequest oidRequest, NdisStatus status) {
            upper.oidRequestComplete(oidRequest, status);
        }

        @Override
        public void receiveNetBufferLists(
                ProtocolEdge edge, NetBufferList netBufferLists, int portNumber, int count, int receiveFlags) {
            upper.receiveNetBufferLists(netBufferLists, portNumber, count, receiveFlags);
        }

        @Override
        public void sendNetBufferListsComplete(ProtocolEdge edge, NetBufferList netBufferLists, int flags) {
            upper.sendNetBufferListsComplete(netBufferLists, flags);
        }
    }
}
