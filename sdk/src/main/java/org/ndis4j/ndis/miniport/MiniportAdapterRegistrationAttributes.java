package org.ndis4j.ndis.miniport;

/**
 * NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES.
 *
 * @param miniportAdapterContext   the driver's adapter context: every handler gets it back
 * @param attributeFlags           NDIS_MINIPORT_ATTRIBUTES_* flags
 * @param checkForHangTimeInSeconds how often NDIS calls MiniportCheckForHangEx (0: default)
 * @param interfaceType            NDIS_INTERFACE_TYPE of the bus
 */
public record MiniportAdapterRegistrationAttributes(
        Object miniportAdapterContext, int attributeFlags, int checkForHangTimeInSeconds, InterfaceType interfaceType)
        implements MiniportAttributes {

    public static final int NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE = 0x00000001;
    public static final int NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER = 0x00000008;

    /** NDIS_INTERFACE_TYPE values a virtual device uses. */
    public enum InterfaceType {
        NdisInterfaceInternal,
        NdisInterfacePci
    }

    public MiniportAdapterRegistrationAttributes {
        if (miniportAdapterContext == null) {
            throw new IllegalArgumentException("MiniportAdapterContext is required");
        }
    }

    /** A bus-master hardware device on PCI with this context. */
    public static MiniportAdapterRegistrationAttributes of(Object context) {
        return new MiniportAdapterRegistrationAttributes(
                context,
                NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE | NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
                0,
                InterfaceType.NdisInterfacePci);
    }
}
