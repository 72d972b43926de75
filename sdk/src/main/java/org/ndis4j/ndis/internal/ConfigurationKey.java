package org.ndis4j.ndis.internal;

import java.util.HexFormat;
import java.util.List;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.config.NdisConfigurationObject;
import org.ndis4j.ndis.config.NdisConfigurationParameter;
import org.ndis4j.ndis.config.NdisParameterType;
import org.ndis4j.ndis.types.NdisConfigurationHandle;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.registry.RegistryValue;
import org.ndis4j.verifier.AllocationSites;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * An open configuration handle (NdisOpenConfigurationEx … NdisCloseConfiguration) on a
 * {@link RegistryKey}. How NDIS turns registry values into NDIS_CONFIGURATION_PARAMETERs:
 *
 * <pre>
 *   stored        asked for          returned
 *   REG_SZ        Integer            the text parsed base 10 (FAILURE if it is not a number)
 *   REG_SZ        HexInteger         the text parsed base 16 (an optional 0x)
 *   REG_SZ        String             the text
 *   REG_DWORD     Integer/HexInteger the number
 *   REG_MULTI_SZ  MultiString        the strings
 *   REG_BINARY    Binary             the bytes
 *   anything else                    NDIS_STATUS_FAILURE, as for a missing value
 * </pre>
 * "NdisVersion" is predefined: NDIS 6.20 as 0x00060014.
 */
public final class ConfigurationKey extends NdisConfigurationHandle {

    /** The version "NdisVersion" answers: NDIS 6.20. */
    static final int NDIS_VERSION = 0x0006_0014;

    private final RegistryKey key;
    /** The adapter whose key this is (its halt and initialize check it was closed), or null. */
    private final MiniportAdapter adapter;

    private final String driverName;
    private final List<String> openedAt;
    private volatile boolean closed;

    private ConfigurationKey(Kernel kernel, RegistryKey key, MiniportAdapter adapter, NdisHandle owner) {
        super(kernel, owner.name() + "/configuration");
        this.key = key;
        this.adapter = adapter;
        this.driverName = owner.driverName();
        this.openedAt = AllocationSites.capture(kernel);
    }

    /**
     * NdisOpenConfigurationEx, after the entry point checked IRQL: the adapter's key for an adapter
     * handle, the object's own Parameters key for a driver or filter module handle.
     */
    public static ConfigurationKey open(NdisConfigurationObject configObject) {
        if (configObject == null) {
            throw Handles.invalid(null, "NdisOpenConfigurationEx with a NULL configuration object");
        }
        NdisHandle owner = configObject.ndisHandle();
        Kernel kernel = Handles.kernelOf(owner, "NdisOpenConfigurationEx");
        ConfigurationKey opened;
        switch (owner.kind()) {
            case MINIPORT_ADAPTER -> {
                MiniportAdapter adapter = Handles.adapter(owner, "NdisOpenConfigurationEx");
                opened = new ConfigurationKey(kernel, adapter.registry(), adapter, owner);
                adapter.allocations().configurationOpened(opened);
            }
            case MINIPORT_DRIVER, FILTER_DRIVER, FILTER_MODULE, PROTOCOL_DRIVER ->
                opened = new ConfigurationKey(kernel, NdisLibrary.of(kernel).parametersOf(owner), null, owner);
            default ->
                throw Verifier.violation(
                        kernel,
                        Rule.Handle_Invalid,
                        7,
                        owner.kind().ordinal(),
                        "NdisOpenConfigurationEx with " + owner
                                + ": it takes a miniport adapter, miniport driver, filter or protocol driver handle");
        }
        Trace.log("NdisOpenConfigurationEx(%s) -> %s", owner, opened.key.path());
        return opened;
    }

    /** NdisReadConfiguration: the value, or null for NDIS_STATUS_FAILURE. */
    public NdisConfigurationParameter read(String keyword, NdisParameterType type) {
        checkOpen("NdisReadConfiguration");
        if (keyword == null || type == null) {
            throw Verifier.violation(
                    kernel(), Rule.Handle_Invalid, 0, 0, "NdisReadConfiguration with a NULL keyword or parameter type");
        }
        if (keyword.equalsIgnoreCase("NdisVersion")
                && (type == NdisParameterType.NdisParameterInteger
                        || type == NdisParameterType.NdisParameterHexInteger)) {
            return new NdisConfigurationParameter(type, NDIS_VERSION, null, List.of(), null);
        }
        RegistryValue value = key.get(keyword);
        NdisConfigurationParameter result = value == null ? null : convert(value, type);
        Trace.log("NdisReadConfiguration(%s, %s, %s) -> %s", key.path(), keyword, type, result);
        return result;
    }

    private static NdisConfigurationParameter convert(RegistryValue value, NdisParameterType type) {
        return switch (type) {
            case NdisParameterInteger, NdisParameterHexInteger -> {
                Integer number = null;
                if (value instanceof RegistryValue.RegDword dword) {
                    number = dword.value();
                } else if (value instanceof RegistryValue.RegSz sz) {
                    number = parse(sz.value(), type == NdisParameterType.NdisParameterHexInteger ? 16 : 10);
                }
                yield number == null ? null : new NdisConfigurationParameter(type, number, null, List.of(), null);
            }
            case NdisParameterString ->
                value instanceof RegistryValue.RegSz sz ? NdisConfigurationParameter.string(sz.value()) : null;
            case NdisParameterMultiString ->
                value instanceof RegistryValue.RegMultiSz multi
                        ? NdisConfigurationParameter.multiString(multi.values())
                        : null;
            case NdisParameterBinary ->
                value instanceof RegistryValue.RegBinary binary
                        ? NdisConfigurationParameter.binary(binary.bytes())
                        : null;
        };
    }

    /** The text as a ULONG in {@code radix} (base 16 takes an optional 0x), or null. */
    private static Integer parse(String text, int radix) {
        String digits = text.trim();
        if (radix == 16 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
            digits = digits.substring(2);
        }
        try {
            long value = Long.parseLong(digits, radix);
            return value < 0 || value > 0xFFFF_FFFFL ? null : (int) value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** NdisWriteConfiguration: integers become REG_DWORD, strings REG_SZ, and so on. */
    public void write(String keyword, NdisConfigurationParameter parameter) {
        checkOpen("NdisWriteConfiguration");
        if (keyword == null || keyword.isEmpty() || parameter == null) {
            throw Verifier.violation(
                    kernel(), Rule.Handle_Invalid, 0, 0, "NdisWriteConfiguration with a NULL keyword or value");
        }
        RegistryValue value = switch (parameter.parameterType()) {
            case NdisParameterInteger, NdisParameterHexInteger -> new RegistryValue.RegDword(parameter.integerData());
            case NdisParameterString ->
                new RegistryValue.RegSz(parameter.stringData() == null ? "" : parameter.stringData());
            case NdisParameterMultiString -> new RegistryValue.RegMultiSz(parameter.multiStringData());
            case NdisParameterBinary ->
                new RegistryValue.RegBinary(parameter.binaryData() == null ? new byte[0] : parameter.binaryData());
        };
        key.put(keyword, value);
        Trace.log("NdisWriteConfiguration(%s, %s) = %s", key.path(), keyword, value);
    }

    /**
     * NdisReadNetworkAddress: the NetworkAddress keyword's hexadecimal text as bytes (pairs of digits,
     * optionally separated by '-' or ':'), or null for NDIS_STATUS_FAILURE (no value, not REG_SZ, not
     * hexadecimal). NDIS does not judge the address: the miniport refuses a group or zero address.
     */
    public byte[] readNetworkAddress() {
        checkOpen("NdisReadNetworkAddress");
        RegistryValue value = key.get("NetworkAddress");
        if (!(value instanceof RegistryValue.RegSz sz)) {
            return null;
        }
        String digits = sz.value().replace("-", "").replace(":", "").trim();
        if (digits.isEmpty() || digits.length() % 2 != 0) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** NdisCloseConfiguration: the handle is invalid afterwards. */
    public void close() {
        checkOpen("NdisCloseConfiguration");
        closed = true;
        if (adapter != null) {
            adapter.allocations().configurationClosed(this);
        }
        Trace.log("NdisCloseConfiguration(%s)", key.path());
    }

    private void checkOpen(String function) {
        if (closed) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Handle_Invalid,
                    9,
                    0,
                    function + " with " + this + ", which NdisCloseConfiguration closed",
                    allocationSite());
        }
    }

    /** Where the driver opened this handle, or null when no stack was recorded. */
    AllocationSite allocationSite() {
        return AllocationSites.of(this, openedAt);
    }

    @Override
    public String driverName() {
        return driverName;
    }
}
