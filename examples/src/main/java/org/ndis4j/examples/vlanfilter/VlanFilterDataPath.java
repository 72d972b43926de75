package org.ndis4j.examples.vlanfilter;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL;

import io.netty.buffer.ByteBuf;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisF;
import org.ndis4j.ndis.nbl.NblQueue;
import org.ndis4j.ndis.nbl.NetBuffer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * The filter's data path: it counts every frame by EtherType both ways and applies the policy.
 *
 * <pre>
 *  send (from above)   count ─► listed EtherType: complete with FAILURE (a drop)
 *                              ─► VLAN set, frame untagged: a tagged copy in an NBL of its own
 *                                 (SourceHandle = the module, the original in ProtocolReserved) goes down
 *                              ─► else the NBL goes down as it is
 *  send complete       its own copies: freed, the original completes up with their status; the rest up
 *  receive (from below) count ─► listed EtherType, or a VLAN mismatch: returned at once (a drop)
 *                              ─► VLAN set, frame tagged with it: an untagged copy goes up in its place
 *                              ─► else up as it is
 *  return (from above) its own copies: freed, the original goes back down; the rest down
 * </pre>
 * With NDIS_RECEIVE_FLAGS_RESOURCES the miniport keeps its NBLs: copies are freed as soon as the
 * indication returns, and nothing is returned. Frames are classified by their first NET_BUFFER, and
 * only single-NET_BUFFER NBLs are copied (ipstack sends those); others that would need a copy are
 * dropped and counted. Nothing is allocated per frame: copies come from the module's pool.
 */
final class VlanFilterDataPath {

    private VlanFilterDataPath() {}

    /** FilterSendNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    static void send(VlanFilterModule module, NetBufferList chain, int portNumber, int sendFlags) {
        CompiledPolicy policy = module.policy;
        if (policy.passesEverything() && module.isRunning()) {
            countAll(module, chain, true);
            NdisF.sendNetBufferLists(module.handle, chain, portNumber, sendFlags);
            return;
        }
        NblQueue down = new NblQueue();
        NblQueue failed = new NblQueue();
        NetBufferList nbl = chain;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            NetBuffer nb = nbl.firstNetBuffer();
            int etherType = Dot1Q.etherType(nb.data(), nb.dataOffset(), nb.dataLength());
            module.counters.sent(etherType);
            if (!module.isRunning()) {
                nbl.setStatus(NdisStatus.PAUSED);
                failed.append(nbl);
            } else if (etherType >= 0 && policy.drops(etherType)) {
                module.counters.policyDropsSend.incrementAndGet();
                nbl.setStatus(NdisStatus.FAILURE);
                failed.append(nbl);
            } else if (policy.vlanId() != 0
                    && etherType >= 0
                    && !Dot1Q.isTagged(nb.data(), nb.dataOffset(), nb.dataLength())) {
                NetBufferList tagged = tagged(module, nbl, policy);
                if (tagged == null) {
                    module.counters.resourceDrops.incrementAndGet();
                    nbl.setStatus(NdisStatus.RESOURCES);
                    failed.append(nbl);
                } else {
                    down.append(tagged);
                }
            } else {
                down.append(nbl);
            }
            nbl = next;
        }
        if (!failed.isEmpty()) {
            NdisF.sendNetBufferListsComplete(module.handle, failed.takeChain(), sendCompleteFlags());
        }
        if (!down.isEmpty()) {
            NdisF.sendNetBufferLists(module.handle, down.takeChain(), portNumber, sendFlags);
        }
    }

    private static NetBufferList tagged(VlanFilterModule module, NetBufferList original, CompiledPolicy policy) {
        NetBuffer nb = original.firstNetBuffer();
        if (nb.next() != null || !module.reserveOwn()) {
            return null;
        }
        NetBufferList copy = Ndis.allocateNetBufferList(module.pool, 0, 0);
        if (copy == null) {
            module.releaseOwn();
            return null;
        }
        NetBuffer to = copy.firstNetBuffer();
        int length =
                Dot1Q.insert(nb.data(), nb.dataOffset(), nb.dataLength(), to.data(), to.dataOffset(), policy.tci());
        to.setDataLength(length);
        copy.setSourceHandle(module.handle);
        copy.setProtocolReserved(original);
        module.counters.tagsInserted.incrementAndGet();
        return copy;
    }

    /** FilterSendNetBufferListsComplete. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    static void sendComplete(VlanFilterModule module, NetBufferList chain, int sendCompleteFlags) {
        NblQueue up = new NblQueue();
        NetBufferList nbl = chain;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            if (nbl.sourceHandle() == module.handle) {
                NetBufferList original = (NetBufferList) nbl.protocolReserved();
                original.setStatus(nbl.status());
                nbl.setProtocolReserved(null);
                nbl.setNext(null);
                Ndis.freeNetBufferList(nbl);
                module.releaseOwn();
                up.append(original);
            } else {
                up.append(nbl);
            }
            nbl = next;
        }
        NdisF.sendNetBufferListsComplete(module.handle, up.takeChain(), sendCompleteFlags);
    }

    /** FilterReceiveNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    static void receive(VlanFilterModule module, NetBufferList chain, int portNumber, int count, int receiveFlags) {
        boolean resources = (receiveFlags & NDIS_RECEIVE_FLAGS_RESOURCES) != 0;
        CompiledPolicy policy = module.policy;
        if (policy.passesEverything() && module.isRunning()) {
            countAll(module, chain, false);
            NdisF.indicateReceiveNetBufferLists(module.handle, chain, portNumber, count, receiveFlags);
            return;
        }
        // With RESOURCES the miniport walks its chain again when the call returns: keep its links.
        NetBufferList[] links = resources ? links(chain, count) : null;
        NblQueue up = new NblQueue();
        NblQueue back = new NblQueue();
        NetBufferList nbl = chain;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            NetBuffer nb = nbl.firstNetBuffer();
            ByteBuf frame = nb.data();
            int offset = nb.dataOffset();
            int length = nb.dataLength();
            int etherType = Dot1Q.etherType(frame, offset, length);
            boolean tagged = Dot1Q.isTagged(frame, offset, length);
            module.counters.received(etherType);
            if (!module.isRunning()) {
                back.append(nbl);
            } else if (etherType >= 0 && policy.drops(etherType)) {
                module.counters.policyDropsReceive.incrementAndGet();
                back.append(nbl);
            } else if (policy.vlanId() != 0) {
                if (!tagged || Dot1Q.vlanId(frame, offset) != policy.vlanId()) {
                    module.counters.vlanMismatchDrops.incrementAndGet();
                    back.append(nbl);
                } else {
                    NetBufferList untagged = untagged(module, nbl, resources);
                    if (untagged == null) {
                        module.counters.resourceDrops.incrementAndGet();
                        back.append(nbl);
                    } else {
                        up.append(untagged);
                    }
                }
            } else {
                up.append(nbl);
            }
            nbl = next;
        }
        if (!back.isEmpty() && !resources) {
            NdisF.returnNetBufferLists(module.handle, back.takeChain(), returnFlags());
        }
        if (!up.isEmpty()) {
            int n = up.count();
            NetBufferList indicated = up.takeChain();
            NdisF.indicateReceiveNetBufferLists(module.handle, indicated, portNumber, n, receiveFlags);
            if (resources) {
                freeOwn(module, indicated); // the indication is over: the copies are ours again
            }
        }
        if (resources) {
            relink(links);
        }
    }

    private static void countAll(VlanFilterModule module, NetBufferList chain, boolean sent) {
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            NetBuffer nb = nbl.firstNetBuffer();
            int etherType = Dot1Q.etherType(nb.data(), nb.dataOffset(), nb.dataLength());
            if (sent) {
                module.counters.sent(etherType);
            } else {
                module.counters.received(etherType);
            }
        }
    }

    /** The chain's NBLs in order (only for an indication with RESOURCES that the policy changes). */
    private static NetBufferList[] links(NetBufferList chain, int count) {
        NetBufferList[] links = new NetBufferList[count];
        int i = 0;
        for (NetBufferList nbl = chain; nbl != null && i < count; nbl = nbl.next()) {
            links[i++] = nbl;
        }
        return links;
    }

    private static void relink(NetBufferList[] links) {
        for (int i = 0; i < links.length; i++) {
            links[i].setNext(i + 1 < links.length ? links[i + 1] : null);
        }
    }

    private static NetBufferList untagged(VlanFilterModule module, NetBufferList original, boolean resources) {
        NetBuffer nb = original.firstNetBuffer();
        if (nb.next() != null || !module.reserveOwn()) {
            return null;
        }
        NetBufferList copy = Ndis.allocateNetBufferList(module.pool, 0, 0);
        if (copy == null) {
            module.releaseOwn();
            return null;
        }
        NetBuffer to = copy.firstNetBuffer();
        to.setDataLength(Dot1Q.strip(nb.data(), nb.dataOffset(), nb.dataLength(), to.data(), to.dataOffset()));
        copy.setSourceHandle(module.handle);
        copy.setProtocolReserved(resources ? null : original); // with RESOURCES the miniport keeps it
        module.counters.tagsStripped.incrementAndGet();
        return copy;
    }

    /** FilterReturnNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    static void returned(VlanFilterModule module, NetBufferList chain, int returnFlags) {
        NblQueue down = new NblQueue();
        NetBufferList nbl = chain;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            if (nbl.sourceHandle() == module.handle) {
                NetBufferList original = (NetBufferList) nbl.protocolReserved();
                nbl.setProtocolReserved(null);
                nbl.setNext(null);
                Ndis.freeNetBufferList(nbl);
                module.releaseOwn();
                down.append(original);
            } else {
                down.append(nbl);
            }
            nbl = next;
        }
        NdisF.returnNetBufferLists(module.handle, down.takeChain(), returnFlags);
    }

    /** Frees the module's own NBLs of an indicated chain (after an indication with RESOURCES). */
    private static void freeOwn(VlanFilterModule module, NetBufferList chain) {
        NetBufferList nbl = chain;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            if (nbl.sourceHandle() == module.handle) {
                nbl.setNext(null);
                Ndis.freeNetBufferList(nbl);
                module.releaseOwn();
            }
            nbl = next;
        }
    }

    private static int sendCompleteFlags() {
        return Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0;
    }

    private static int returnFlags() {
        return Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL ? NDIS_RETURN_FLAGS_DISPATCH_LEVEL : 0;
    }
}
