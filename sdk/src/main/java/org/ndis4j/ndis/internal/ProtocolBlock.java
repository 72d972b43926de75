package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;

/** NDIS's protocol block (NDIS_PROTOCOL_BLOCK): what NdisRegisterProtocolDriver's handle is. */
public final class ProtocolBlock extends NdisProtocolDriverHandle {

    private final Object protocolDriverContext;
    private final ProtocolDriver<?> characteristics;
    private final boolean handlesReceive;
    private volatile boolean deregistered;

    ProtocolBlock(Kernel kernel, String name, Object protocolDriverContext, ProtocolDriver<?> characteristics) {
        super(kernel, name);
        this.protocolDriverContext = protocolDriverContext;
        this.characteristics = characteristics;
        this.handlesReceive =
                characteristics != null && OptionalHandlers.overrides(characteristics, "receiveNetBufferLists", 5);
    }

    /**
     * NdisRegisterProtocolDriver, after the entry point checked IRQL: NDIS then binds the protocol to
     * every running adapter (and to every adapter added later).
     */
    public static ProtocolBlock register(
            Kernel kernel, Object protocolDriverContext, String name, ProtocolDriver<?> characteristics) {
        ProtocolBlock block = new ProtocolBlock(kernel, name, protocolDriverContext, characteristics);
        LoadedDriver loading = PlugAndPlay.of(kernel).driverBeingLoaded();
        if (loading != null) {
            loading.protocolRegistered(block); // its unload routine must deregister it
        }
        NdisLibrary.of(kernel).registered(block);
        if (characteristics != null) {
            PlugAndPlay.of(kernel).protocolRegistered(block);
        }
        return block;
    }

    /** NdisDeregisterProtocolDriver: unbinds everywhere, then forgets the protocol. */
    public void deregister() {
        deregistered = true;
        PlugAndPlay.of(kernel()).protocolDeregistered(this);
        NdisLibrary.of(kernel()).deregistered(this);
    }

    /** True once NdisDeregisterProtocolDriver took the handle away. */
    public boolean isDeregistered() {
        return deregistered;
    }

    /** True when the protocol has a ProtocolReceiveNetBufferLists handler. */
    boolean handlesReceive() {
        return handlesReceive;
    }

    /** The ProtocolDriverContext given at registration; ProtocolBindAdapterEx gets it back. */
    Object protocolDriverContext() {
        return protocolDriverContext;
    }

    /** The handlers, or null for a protocol registered without any (it binds to nothing). */
    @SuppressWarnings("unchecked")
    ProtocolDriver<Object> characteristics() {
        return (ProtocolDriver<Object>) characteristics;
    }

    @Override
    public String driverName() {
        return name();
    }
}
