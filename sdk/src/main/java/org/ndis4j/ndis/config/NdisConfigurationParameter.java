package org.ndis4j.ndis.config;

import java.util.List;

/**
 * NDIS_CONFIGURATION_PARAMETER: a value NdisReadConfiguration returns or NdisWriteConfiguration
 * writes. C keeps the data in a union; here the member of {@link #parameterType()} is set and the
 * others are empty. The factories make each type.
 *
 * @param parameterType   which member holds the value
 * @param integerData     ParameterData.IntegerData (a ULONG: read it unsigned)
 * @param stringData      ParameterData.StringData (NdisParameterString), else null
 * @param multiStringData the strings of an NdisParameterMultiString, else empty
 * @param binaryData      ParameterData.BinaryData (NdisParameterBinary), else null
 */
public record NdisConfigurationParameter(
        NdisParameterType parameterType,
        int integerData,
        String stringData,
        List<String> multiStringData,
        byte[] binaryData) {

    public NdisConfigurationParameter {
        if (parameterType == null) {
            throw new IllegalArgumentException("a configuration parameter has a type");
        }
        multiStringData = List.copyOf(multiStringData);
        binaryData = binaryData == null ? null : binaryData.clone();
    }

    public static NdisConfigurationParameter integer(int value) {
        return new NdisConfigurationParameter(NdisParameterType.NdisParameterInteger, value, null, List.of(), null);
    }

    public static NdisConfigurationParameter hexInteger(int value) {
        return new NdisConfigurationParameter(NdisParameterType.NdisParameterHexInteger, value, null, List.of(), null);
    }

    public static NdisConfigurationParameter string(String value) {
        return new NdisConfigurationParameter(NdisParameterType.NdisParameterString, 0, value, List.of(), null);
    }

    public static NdisConfigurationParameter multiString(List<String> values) {
        return new NdisConfigurationParameter(NdisParameterType.NdisParameterMultiString, 0, null, values, null);
    }

    public static NdisConfigurationParameter binary(byte[] value) {
        return new NdisConfigurationParameter(NdisParameterType.NdisParameterBinary, 0, null, List.of(), value);
    }

    /** A copy: the caller cannot change the value NDIS returned. */
    @Override
    public byte[] binaryData() {
        return binaryData == null ? null : binaryData.clone();
    }
}
