package org.ndis4j.registry;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One registry value, typed as the registry types it. An INF writes every standardized keyword as
 * REG_SZ (the text of the number, {@code "9014"}); NdisWriteConfiguration writes an integer as
 * REG_DWORD.
 */
public sealed interface RegistryValue {

    /** The registry's name for the type ("REG_SZ"). */
    String typeName();

    /** REG_SZ: a string. */
    record RegSz(String value) implements RegistryValue {
        public RegSz {
            if (value == null) {
                throw new IllegalArgumentException("a REG_SZ value is a string, not null");
            }
        }

        @Override
        public String typeName() {
            return "REG_SZ";
        }
    }

    /** REG_MULTI_SZ: a list of strings. */
    record RegMultiSz(List<String> values) implements RegistryValue {
        public RegMultiSz {
            values = List.copyOf(values);
        }

        @Override
        public String typeName() {
            return "REG_MULTI_SZ";
        }
    }

    /** REG_DWORD: a 32-bit unsigned number. */
    record RegDword(int value) implements RegistryValue {
        @Override
        public String typeName() {
            return "REG_DWORD";
        }
    }

    /** REG_BINARY: bytes (copied in and out). */
    record RegBinary(byte[] bytes) implements RegistryValue {
        public RegBinary {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String typeName() {
            return "REG_BINARY";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RegBinary other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "RegBinary[" + HexFormat.of().formatHex(bytes) + "]";
        }
    }
}
