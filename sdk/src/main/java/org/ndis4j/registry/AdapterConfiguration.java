package org.ndis4j.registry;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry values of one adapter, as a host hands them to {@code PnpManager.addDevice}: the
 * standardized keywords ({@code *JumboPacket}, {@code NetworkAddress}, …) as REG_SZ text checked
 * against their INF type and range, and vendor keywords of any registry type. Keyword names ignore
 * case, as registry value names do. Immutable; a driver's NdisWriteConfiguration changes the copy NDIS
 * keeps for the adapter, never this.
 *
 * <pre>
 *   AdapterConfiguration.builder()
 *           .keyword("*JumboPacket", "9014")
 *           .keyword("NetworkAddress", "024E44000010")
 *           .value("VendorRetries", new RegistryValue.RegDword(3))
 *           .build();
 * </pre>
 */
public final class AdapterConfiguration {

    private static final AdapterConfiguration EMPTY = builder().build();

    private final Map<String, RegistryValue> values;

    private AdapterConfiguration(Map<String, RegistryValue> values) {
        TreeMap<String, RegistryValue> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(values);
        this.values = Collections.unmodifiableMap(copy);
    }

    /** No values: every NdisReadConfiguration fails and the driver uses its defaults. */
    public static AdapterConfiguration empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every value by keyword (case-insensitive map, in keyword order). */
    public Map<String, RegistryValue> values() {
        return values;
    }

    /** The value of {@code keyword}, or null. */
    public RegistryValue get(String keyword) {
        return values.get(keyword);
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** How a configuration is built; each method checks its value and throws with the reason. */
    public static final class Builder {
        private final TreeMap<String, RegistryValue> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        private Builder() {}

        /**
         * A keyword as an INF writes it: REG_SZ text. A standardized keyword must be one ndis4j knows
         * ({@link StandardKeyword}) and its value one its INF type and range allow.
         */
        public Builder keyword(String keyword, String text) {
            checkName(keyword);
            StandardKeyword standard = StandardKeyword.of(keyword).orElse(null);
            if (standard == null && StandardKeyword.isReserved(keyword)) {
                throw new IllegalArgumentException(keyword + " is not a standardized keyword (did you mean "
                        + StandardKeyword.closest(keyword) + "?)");
            }
            if (standard != null) {
                String why = standard.check(text);
                if (why != null) {
                    throw new IllegalArgumentException(standard + ": " + why);
                }
                keyword = standard.keyword();
            }
            values.put(keyword, new RegistryValue.RegSz(text));
            return this;
        }

        /** A vendor keyword of any registry type. Standardized keywords go through {@link #keyword}. */
        public Builder value(String keyword, RegistryValue value) {
            checkName(keyword);
            if (StandardKeyword.isReserved(keyword)
                    || StandardKeyword.of(keyword).isPresent()) {
                if (!(value instanceof RegistryValue.RegSz sz)) {
                    throw new IllegalArgumentException(
                            keyword + " is a standardized keyword: its value is REG_SZ text, not " + value.typeName());
                }
                return keyword(keyword, sz.value());
            }
            values.put(keyword, value);
            return this;
        }

        /** A vendor REG_MULTI_SZ value. */
        public Builder multiString(String keyword, List<String> strings) {
            return value(keyword, new RegistryValue.RegMultiSz(strings));
        }

        public AdapterConfiguration build() {
            return new AdapterConfiguration(values);
        }

        private static void checkName(String keyword) {
            if (keyword == null || keyword.isEmpty() || keyword.length() > 255 || keyword.contains("\\")) {
                throw new IllegalArgumentException(
                        "a registry value name is 1..255 characters without '\\': '" + keyword + "'");
            }
        }
    }
}
