package org.ndis4j.ndis.config;

/** NDIS_PARAMETER_TYPE: the type a driver asks NdisReadConfiguration for. */
public enum NdisParameterType {
    /** An integer in decimal notation (REG_SZ text parsed base 10, or a REG_DWORD). */
    NdisParameterInteger,
    /** An integer in hexadecimal notation (REG_SZ text parsed base 16, or a REG_DWORD). */
    NdisParameterHexInteger,
    /** A string (REG_SZ). */
    NdisParameterString,
    /** A list of strings (REG_MULTI_SZ). */
    NdisParameterMultiString,
    /** Bytes (REG_BINARY). */
    NdisParameterBinary
}
