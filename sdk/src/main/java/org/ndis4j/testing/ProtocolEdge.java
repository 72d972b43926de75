package org.ndis4j.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;

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
 * It binds to its adapter only, and unbinds when the device is removed.
 */
public final class ProtocolEdge {

    /** How long {@link #bind} waits for NDIS to bind the protocol. */
    public static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    /** What comes up through the binding: ProtocolReceiveNetBufferLists and ProtocolSendNetBufferListsComplete. */
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
    }

    private final NdisMiniportAdapterHandle adapter;
    private final Upper upper;
    private final CountDownLatch bound = new CountDownLatch(1);
    private volatile NdisProtocolDriverHandle protocol;
    private volatile NdisBindingHandle binding;

    private ProtocolEdge(NdisMiniportAdapterHandle adapter, Upper upper) {
        this.adapter = adapter;
        this.upper = upper;
    }

    /**
     * Registers a protocol driver that binds to {@code adapter} (a Running adapter) and waits until it
     * is bound; what comes up goes to {@code upper}. Runs at PASSIVE_LEVEL.
     */
    public static ProtocolEdge bind(NdisMiniportAdapterHandle adapter, Upper upper) {
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
        long deadline = System.nanoTime() + BIND_TIMEOUT.toNanos();
        try {
            while (!bound.await(50, TimeUnit.MILLISECONDS)) {
                kernel.checkAlive(); // a bug check anywhere ends the wait
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(adapter.name() + ": no binding within " + BIND_TIMEOUT.toSeconds()
                            + " s (is the adapter Running?)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding to " + adapter.name(), e);
        }
    }

    public NdisMiniportAdapterHandle adapter() {
        return adapter;
    }

    /**
     * NdisSendNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. Stamps the binding as each NBL's SourceHandle
     * first, as a protocol must. Running: NDIS calls MiniportSendNetBufferLists (with
     * NDIS_SEND_FLAGS_DISPATCH_LEVEL set or cleared to match the IRQL); otherwise NDIS completes the
     * NBLs itself with NDIS_STATUS_PAUSED without calling the miniport.
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
            binding = Ndis.openAdapterEx(protocol, ProtocolEdge.this, bindContext);
            bound.countDown();
            return NdisStatus.SUCCESS;
        }

        @Override
        public NdisStatus unbindAdapterEx(NdisBindContext unbindContext, ProtocolEdge edge) {
            return Ndis.closeAdapterEx(binding);
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
