package org.ndis4j.registry;

/**
 * The {@code type} of an INF's {@code Ndi\params\<keyword>} key: how the Advanced property page edits
 * the value and what it accepts. Whatever the type, the value is stored as REG_SZ.
 */
public enum InfType {
    /** One of a list of values, each with a description. */
    ENUM,
    /** A signed number within min..max (step 1 here). */
    INT,
    /** A number within min..max, 32 bits. */
    LONG,
    /** A number within min..max, unsigned 32 bits. */
    DWORD,
    /** Free text (NetworkAddress: hexadecimal digits). */
    EDIT
}
