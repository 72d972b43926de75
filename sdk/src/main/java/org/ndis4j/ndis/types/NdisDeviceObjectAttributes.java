package org.ndis4j.ndis.types;

/**
 * NDIS_DEVICE_OBJECT_ATTRIBUTES: what NdisRegisterDeviceEx makes. The dispatch table (MajorFunctions),
 * the SDDL string and the device class GUID are not simulated; nothing opens the device yet.
 *
 * @param deviceName    the device's name in the object namespace ("\Device\VminiCtl"); unique per machine
 * @param symbolicName  the symbolic link user mode opens ("\DosDevices\VminiCtl"), or null
 * @param extensionSize bytes of device extension NDIS allocates for the driver (0 for none)
 */
public record NdisDeviceObjectAttributes(String deviceName, String symbolicName, int extensionSize) {

    public NdisDeviceObjectAttributes {
        if (deviceName == null || deviceName.isBlank()) {
            throw new IllegalArgumentException("a device needs a name");
        }
        if (extensionSize < 0) {
            throw new IllegalArgumentException("ExtensionSize must not be negative: " + extensionSize);
        }
    }

    /** A device named {@code deviceName} with a symbolic link and no extension. */
    public static NdisDeviceObjectAttributes of(String deviceName, String symbolicName) {
        return new NdisDeviceObjectAttributes(deviceName, symbolicName, 0);
    }
}
