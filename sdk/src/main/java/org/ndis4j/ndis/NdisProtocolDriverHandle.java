package org.ndis4j.ndis;

import org.ndis4j.kernel.Kernel;

/**
 * NdisProtocolHandle: what NdisRegisterProtocolDriver returns. A protocol driver is tied to no
 * device object, which is why NDIS refuses it as the owner of an I/O work item.
 */
public final class NdisProtocolDriverHandle extends NdisHandle {

    private final Object protocolDriverContext;
    private final ProtocolDriver<?> characteristics;
    private final boolean handlesReceive;

    NdisProtocolDriverHandle(
            Kernel kernel, String name, Object protocolDriverContext, ProtocolDriver<?> characteristics) {
        super(kernel, HandleKind.PROTOCOL_DRIVER, name);
        this.protocolDriverContext = protocolDriverContext;
        this.characteristics = characteristics;
        this.handlesReceive =
                characteristics != null && OptionalHandlers.overrides(characteristics, "receiveNetBufferLists", 5);
    }

    /** True when the protocol has a ProtocolReceiveNetBufferLists handler. */
    boolean handlesReceive() {
        return handlesReceive;
    }

    public Object protocolDriverContext() {
        return protocolDriverContext;
    }

    /** The handlers, or null for a protocol registered without any (it binds to nothing). */
    ProtocolDriver<?> characteristics() {
        return characteristics;
    }

    @Override
    public String driverName() {
        return name();
    }
}
