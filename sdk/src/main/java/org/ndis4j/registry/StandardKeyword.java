package org.ndis4j.registry;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The standardized INF keywords for network devices that ndis4j knows, each with its INF type, the
 * values or range it takes and its default, as Microsoft's "Standardized INF keywords" pages give
 * them. A keyword that starts with {@code *} is reserved for this list; others are vendor keywords.
 * Ranges that the standard leaves to the vendor are those of the virtual NIC's INF (its datasheet):
 * frames up to 9014 bytes (9018 on the wire with an 802.1Q tag), rings of 8 to 4096 descriptors.
 */
public enum StandardKeyword {
    SPEED_DUPLEX(
            "*SpeedDuplex",
            InfType.ENUM,
            "0",
            enumeration(
                    "Auto Negotiation",
                    "10 Mbps Half Duplex",
                    "10 Mbps Full Duplex",
                    "100 Mbps Half Duplex",
                    "100 Mbps Full Duplex",
                    "1.0 Gbps Half Duplex",
                    "1.0 Gbps Full Duplex",
                    "10 Gbps Full Duplex",
                    "20 Gbps Full Duplex",
                    "40 Gbps Full Duplex",
                    "100 Gbps Full Duplex")),
    FLOW_CONTROL(
            "*FlowControl",
            InfType.ENUM,
            "0",
            enumeration("Rx & Tx Disabled", "Tx Enabled", "Rx Enabled", "Rx & Tx Enabled", "Auto Negotiation")),
    PRIORITY_VLAN_TAG(
            "*PriorityVLANTag",
            InfType.ENUM,
            "0",
            enumeration(
                    "Packet Priority & VLAN Disabled",
                    "Packet Priority Enabled",
                    "VLAN Enabled",
                    "Packet Priority & VLAN Enabled")),
    INTERRUPT_MODERATION("*InterruptModeration", InfType.ENUM, "1", enumeration("Disabled", "Enabled")),
    /** Bytes of the largest frame, Ethernet header included, FCS and 802.1Q tag not. */
    JUMBO_PACKET("*JumboPacket", InfType.INT, "1514", 1514, 9014),
    /** Receive descriptors. */
    RECEIVE_BUFFERS("*ReceiveBuffers", InfType.INT, "256", 8, 4096),
    /** Transmit descriptors. */
    TRANSMIT_BUFFERS("*TransmitBuffers", InfType.INT, "256", 8, 4096),
    VLAN_ID("*VlanID", InfType.INT, "0", 0, 4094),
    /** The locally administered MAC address: 12 hexadecimal digits; empty means the burned-in one. */
    NETWORK_ADDRESS("NetworkAddress", InfType.EDIT, "", 0, 0);

    private final String keyword;
    private final InfType type;
    private final String defaultValue;
    /** ENUM: value → description. */
    private final Map<Integer, String> enumValues;

    private final long min;
    private final long max;

    StandardKeyword(String keyword, InfType type, String defaultValue, Map<Integer, String> values) {
        this.keyword = keyword;
        this.type = type;
        this.defaultValue = defaultValue;
        this.enumValues = values;
        this.min = Collections.min(values.keySet());
        this.max = Collections.max(values.keySet());
    }

    StandardKeyword(String keyword, InfType type, String defaultValue, long min, long max) {
        this.keyword = keyword;
        this.type = type;
        this.defaultValue = defaultValue;
        this.enumValues = Map.of();
        this.min = min;
        this.max = max;
    }

    private static Map<Integer, String> enumeration(String... descriptions) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < descriptions.length; i++) {
            m.put(i, descriptions[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The keyword as the registry names it ("*JumboPacket"). */
    public String keyword() {
        return keyword;
    }

    public InfType type() {
        return type;
    }

    /** What an INF's AddReg writes when nobody changed it ("" for NetworkAddress: none). */
    public String defaultValue() {
        return defaultValue;
    }

    /** ENUM: each value and its description; empty for other types. */
    public Map<Integer, String> enumValues() {
        return enumValues;
    }

    /** INT: the smallest value; ENUM: the smallest listed. */
    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    /** The standardized keyword named {@code keyword} (registry names ignore case), if it is one. */
    public static Optional<StandardKeyword> of(String keyword) {
        return Arrays.stream(values())
                .filter(k -> k.keyword.equalsIgnoreCase(keyword))
                .findFirst();
    }

    /** True for a name only the standard may use: it starts with {@code *}. */
    public static boolean isReserved(String keyword) {
        return keyword.startsWith("*");
    }

    /** The standardized keyword closest in spelling to {@code keyword}, for "did you mean". */
    public static StandardKeyword closest(String keyword) {
        String k = keyword.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .min(Comparator.comparingInt(s -> distance(k, s.keyword.toLowerCase(Locale.ROOT))))
                .orElseThrow();
    }

    /**
     * Checks {@code text} as the Advanced property page would before it writes it: null when it is
     * a value this keyword takes, else why not ("9015 is above 9014").
     */
    public String check(String text) {
        if (type == InfType.EDIT) {
            String digits = text.replace("-", "").replace(":", "");
            if (digits.isEmpty()) {
                return null;
            }
            if (digits.length() != 12 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return "'" + text + "' is not a MAC address of 12 hexadecimal digits";
            }
            return null;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return "'" + text + "' is not a number";
        }
        if (type == InfType.ENUM && !enumValues.containsKey((int) value)) {
            return value + " is not one of " + enumValues;
        }
        if (value < min) {
            return value + " is below " + min;
        }
        if (value > max) {
            return value + " is above " + max;
        }
        return null;
    }

    /** Edit distance (Levenshtein), for suggestions only. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    @Override
    public String toString() {
        return keyword;
    }
}
