package org.ndis4j.ndis.miniport;

/**
 * NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES.
 *
 * @param miniportAdapterContext   the driver's adapter context: every handler gets it back
 * @param attributeFlags           NDIS_MINIPORT_ATTRIBUTES_* flags
 * @param checkForHangTimeInSeconds how often NDIS calls MiniportCheckForHangEx (0: the default, 2 s);
 *                                  an OID request or a send outstanding for two periods also makes NDIS
 *                                  reset the adapter
 * @param interfaceType            NDIS_INTERFACE_TYPE of the bus
 */
public record MiniportAdapterRegistrationAttributes(
        Object miniportAdapterContext, int attributeFlags, int checkForHangTimeInSeconds, InterfaceType interfaceType)
        implements MiniportAttributes {

    public static final int NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE = 0x00000001;
    /** The driver handles a surprise removal (no warning to the user when the NIC is pulled). */
    public static final int NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK = 0x00000004;

    public static final int NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER = 0x00000040;
    /** NDIS calls MiniportShutdownEx(NdisShutdownBugCheck) when the machine bug-checks (NDIS 6.30). */
    public static final int NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK = 0x00000400;

    /** CheckForHangTimeInSeconds 0: NDIS's default period. */
    public static final int DEFAULT_CHECK_FOR_HANG_SECONDS = 2;

    /** NDIS_INTERFACE_TYPE values a virtual device uses. */
    public enum InterfaceType {
        NdisInterfaceInternal,
        NdisInterfacePci
    }

    public MiniportAdapterRegistrationAttributes {
        if (miniportAdapterContext == null) {
            throw new IllegalArgumentException("MiniportAdapterContext is required");
        }
        if (checkForHangTimeInSeconds < 0) {
            throw new IllegalArgumentException(
                    "CheckForHangTimeInSeconds must not be negative: " + checkForHangTimeInSeconds);
        }
    }

    /** The check-for-hang period NDIS uses: CheckForHangTimeInSeconds, or 2 s when it is 0. */
    public int checkForHangSeconds() {
        return checkForHangTimeInSeconds == 0 ? DEFAULT_CHECK_FOR_HANG_SECONDS : checkForHangTimeInSeconds;
    }

    /** The same attributes with another check-for-hang period, in seconds. */
    public MiniportAdapterRegistrationAttributes withCheckForHangTimeInSeconds(int seconds) {
        return new MiniportAdapterRegistrationAttributes(
                miniportAdapterContext, attributeFlags, seconds, interfaceType);
    }

    /** The same attributes with these NDIS_MINIPORT_ATTRIBUTES_* flags. */
    public MiniportAdapterRegistrationAttributes withAttributeFlags(int flags) {
        return new MiniportAdapterRegistrationAttributes(
                miniportAdapterContext, flags, checkForHangTimeInSeconds, interfaceType);
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
