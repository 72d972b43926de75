package org.ndis4j.ndis;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.ProtocolEdge;

/** An upper edge for tests: records completions and indications; returns receives if told to. */
final class RecordingUpperEdge implements ProtocolEdge.Upper {

    /** One completed NBL as the sender saw it. */
    record Completed(NetBufferList nbl, NdisStatus status, int flags) {}

    /** One indication as the upper edge saw it. */
    record Indication(NetBufferList chain, int count, int flags, List<Object> sourceHandles, List<String> frames) {}

    final List<Completed> completed = new CopyOnWriteArrayList<>();
    final List<Indication> indications = new CopyOnWriteArrayList<>();
    /** Set after attach: returns receives through it when {@link #returnAtOnce}. */
    volatile ProtocolEdge edge;

    volatile boolean returnAtOnce;
    volatile Consumer<NetBufferList> onReceive = c -> {};

    @Override
    public void receiveNetBufferLists(NetBufferList chain, int portNumber, int count, int flags) {
        List<Object> sources = new java.util.ArrayList<>();
        List<String> frames = new java.util.ArrayList<>();
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            sources.add(nbl.sourceHandle());
            var nb = nbl.firstNetBuffer();
            frames.add(
                    nb.data().toString(nb.dataOffset(), nb.dataLength(), java.nio.charset.StandardCharsets.US_ASCII));
        }
        indications.add(new Indication(chain, count, flags, sources, frames));
        onReceive.accept(chain);
        if (returnAtOnce && (flags & NDIS_RECEIVE_FLAGS_RESOURCES) == 0) {
            edge.returnNetBufferLists(chain, 0);
        }
    }

    @Override
    public void sendNetBufferListsComplete(NetBufferList chain, int flags) {
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            completed.add(new Completed(nbl, nbl.status(), flags));
        }
    }
}
