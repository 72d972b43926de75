package org.ndis4j.examples.vmini;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.nbl.NetBuffer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.NdisBindParameters;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;

/**
 * A small protocol driver bound to one vmini adapter: sends frames from its own pool, copies every
 * frame it receives and returns the NBLs at once, records link-state indications (with the IRQL and
 * thread they arrived on), and issues OID requests and waits for them.
 */
final class VminiTestProtocol implements ProtocolDriver<VminiTestProtocol> {

    /** A link-state indication and where ProtocolStatusEx ran. */
    record LinkIndication(NdisLinkState state, Irql irql, String thread) {}

    final List<byte[]> received = new CopyOnWriteArrayList<>();
    final List<Integer> indicationSizes = new CopyOnWriteArrayList<>();
    final List<NdisStatus> completions = new CopyOnWriteArrayList<>();
    final List<LinkIndication> links = new CopyOnWriteArrayList<>();
    final AtomicInteger sendsOutstanding = new AtomicInteger();
    private final Map<NdisOidRequest, CompletableFuture<NdisStatus>> pendingOids = new ConcurrentHashMap<>();
    volatile NdisProtocolDriverHandle handle;
    volatile NdisBindingHandle binding;
    private volatile NetBufferListPool pool;

    /** Loads the protocol as a driver of {@code kernel}; it binds to each adapter added later. */
    void register(Kernel kernel, String name) {
        PnpManager.of(kernel).loadDriver(name, (driverObject, registryPath) -> {
            handle = Ndis.registerProtocolDriver(kernel, null, name, this);
            return NdisStatus.SUCCESS;
        });
    }

    @Override
    public NdisStatus bindAdapterEx(
            Object protocolDriverContext, NdisBindContext bindContext, NdisBindParameters bindParameters) {
        pool = Ndis.allocateNetBufferListPool(handle, NetBufferListPoolParameters.withNetBuffer(0x7074_7376, 0));
        binding = Ndis.openAdapterEx(handle, this, bindContext);
        return NdisStatus.SUCCESS;
    }

    @Override
    public NdisStatus unbindAdapterEx(NdisBindContext unbindContext, VminiTestProtocol self) {
        NdisStatus status = Ndis.closeAdapterEx(binding);
        Ndis.freeNetBufferListPool(pool);
        return status;
    }

    @Override
    public void receiveNetBufferLists(
            VminiTestProtocol self, NetBufferList nbls, int portNumber, int numberOfNetBufferLists, int receiveFlags) {
        indicationSizes.add(numberOfNetBufferLists);
        for (NetBufferList nbl = nbls; nbl != null; nbl = nbl.next()) {
            NetBuffer nb = nbl.firstNetBuffer();
            byte[] frame = new byte[nb.dataLength()];
            nb.data().getBytes(nb.dataOffset(), frame);
            received.add(frame);
        }
        if ((receiveFlags & NDIS_RECEIVE_FLAGS_RESOURCES) == 0) {
            Ndis.returnNetBufferLists(
                    binding, nbls, Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL ? NDIS_RETURN_FLAGS_DISPATCH_LEVEL : 0);
        }
    }

    @Override
    public void sendNetBufferListsComplete(VminiTestProtocol self, NetBufferList nbls, int sendCompleteFlags) {
        NetBufferList nbl = nbls;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            completions.add(nbl.status());
            Ndis.freeNetBufferList(nbl);
            sendsOutstanding.decrementAndGet();
            nbl = next;
        }
    }

    @Override
    public void statusEx(VminiTestProtocol self, NdisStatusIndication indication) {
        if (indication.statusCode() == NdisStatus.LINK_STATE) {
            links.add(new LinkIndication(
                    (NdisLinkState) indication.statusBuffer(),
                    Ke.getCurrentIrql(),
                    Thread.currentThread().getName()));
        }
    }

    @Override
    public void oidRequestComplete(VminiTestProtocol self, NdisOidRequest request, NdisStatus status) {
        CompletableFuture<NdisStatus> future = pendingOids.remove(request);
        if (future != null) {
            future.complete(status);
        }
    }

    /** Sends the frames as one chain of NBLs, one frame each (NdisSendNetBufferLists). */
    void send(List<byte[]> frames) {
        NetBufferList head = null;
        NetBufferList tail = null;
        for (byte[] frame : frames) {
            ByteBuf data = PooledByteBufAllocator.DEFAULT.buffer(frame.length);
            data.writeBytes(frame);
            NetBufferList nbl = Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, data, 0, frame.length);
            nbl.setSourceHandle(binding);
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
        }
        sendsOutstanding.addAndGet(frames.size());
        Ndis.sendNetBufferLists(binding, head, NDIS_DEFAULT_PORT_NUMBER, 0);
    }

    /** NdisOidRequest, waiting for ProtocolOidRequestComplete if it pends. */
    NdisStatus request(NdisOidRequest request) {
        CompletableFuture<NdisStatus> future = new CompletableFuture<>();
        pendingOids.put(request, future);
        NdisStatus status = Ndis.oidRequest(binding, request);
        if (status != NdisStatus.PENDING) {
            pendingOids.remove(request);
            return status;
        }
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("OID request did not complete: " + request, e);
        }
    }
}
