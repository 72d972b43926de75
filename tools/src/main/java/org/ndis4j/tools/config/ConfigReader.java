package org.ndis4j.tools.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ndis4j.examples.ipstack.InterfaceConfig;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.registry.AdapterConfiguration;
import org.ndis4j.registry.RegistryValue;
import org.ndis4j.tools.endpoint.WireSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a run configuration file: Jackson binds it to {@link ConfigFile} (unknown keys, duplicate
 * keys, trailing content and type coercions are errors), then every value is checked, and the first
 * problem becomes one {@link ConfigException} with its key path and line:column. Nothing is started
 * before the whole file is good. Bounded: files above {@link #MAX_BYTES} are refused unread.
 */
public final class ConfigReader {

    /** A configuration file is small; anything larger is not one. */
    public static final long MAX_BYTES = 1 << 20;

    static final int MAX_ADAPTERS = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final String file;
    private final Path directory;
    private JsonLocations locations;

    private ConfigReader(String file, Path directory) {
        this.file = file;
        this.directory = directory;
    }

    /** Reads {@code path}; relative jar paths are relative to its directory. */
    public static RunConfiguration read(Path path) {
        ConfigReader reader =
                new ConfigReader(path.toString(), path.toAbsolutePath().getParent());
        String text;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw reader.whole("larger than " + MAX_BYTES + " bytes: not a configuration file");
            }
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw reader.whole("not UTF-8 text");
        } catch (IOException e) {
            throw reader.whole("cannot read: " + e.getMessage());
        }
        return reader.parse(text);
    }

    /** Reads {@code text} as the file named {@code name} in {@code directory}. */
    public static RunConfiguration read(String name, Path directory, String text) {
        return new ConfigReader(name, directory).parse(text);
    }

    private RunConfiguration parse(String text) {
        ConfigFile raw;
        try {
            locations = JsonLocations.of(MAPPER, text);
            raw = MAPPER.readValue(text, ConfigFile.class);
        } catch (JacksonException e) {
            throw fromJackson(e);
        }
        if (raw == null) {
            throw whole("the file holds null, not an object");
        }
        KernelConfig kernel = kernel(raw.kernel());
        List<RunConfiguration.Adapter> adapters = adapters(raw.adapters());
        RunConfiguration.Drivers drivers = drivers(raw.drivers());
        return new RunConfiguration(kernel, adapters, drivers);
    }

    // ---- sections ------------------------------------------------------------------------------

    private KernelConfig kernel(ConfigFile.KernelSection k) {
        KernelConfig config = KernelConfig.defaults();
        if (k == null) {
            return config;
        }
        if (k.processors() != null) {
            config = config.withProcessors(range(k.processors(), 1, 64, "/kernel/processors"));
        }
        int critical = k.criticalWorkers() == null
                ? config.criticalWorkers()
                : range(k.criticalWorkers(), 1, 64, "/kernel/criticalWorkers");
        int delayed = k.delayedWorkers() == null
                ? config.delayedWorkers()
                : range(k.delayedWorkers(), 1, 64, "/kernel/delayedWorkers");
        config = config.withWorkers(critical, delayed);
        if (k.verifier() != null) {
            config = switch (k.verifier()) {
                case "standard" -> config.withAllocationStacks(false);
                case "full" -> config.withAllocationStacks(true);
                default ->
                    throw at("/kernel/verifier", "'" + k.verifier() + "' is not a verifier level (standard, full)");
            };
        }
        Duration dpc = millis(k.dpcTimeoutMillis(), config.dpcTimeout(), "/kernel/dpcTimeoutMillis");
        Duration cumulative = millis(k.dpcWatchdogMillis(), config.dpcWatchdogLimit(), "/kernel/dpcWatchdogMillis");
        config = config.withDpcWatchdog(dpc, cumulative);
        return config.withNdisWatchdog(
                millis(k.ndisWatchdogMillis(), config.ndisWatchdog(), "/kernel/ndisWatchdogMillis"));
    }

    private List<RunConfiguration.Adapter> adapters(List<ConfigFile.Adapter> list) {
        if (list == null) {
            return List.of();
        }
        if (list.size() > MAX_ADAPTERS) {
            throw at("/adapters", list.size() + " adapters; at most " + MAX_ADAPTERS);
        }
        List<RunConfiguration.Adapter> adapters = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "/adapters/" + i;
            ConfigFile.Adapter a = list.get(i);
            if (a == null) {
                throw at(at, "an adapter is an object, not null");
            }
            String name = a.name() == null ? "vnic" + i : a.name();
            if (!NAME.matcher(name).matches()) {
                throw at(at + "/name", "'" + name + "' is not a device name (1..32 of A-Z a-z 0-9 _ . -)");
            }
            if (!names.add(name)) {
                throw at(at + "/name", "a second adapter named '" + name + "'");
            }
            MacAddress mac = null;
            if (a.mac() != null) {
                mac = value(() -> MacAddress.of(a.mac()), at + "/mac");
                if (mac.isGroup()) {
                    throw at(at + "/mac", a.mac() + " is a group address; a NIC's own address is unicast");
                }
            }
            WireSpec wire = a.wire() == null ? null : value(() -> WireSpec.parse(a.wire()), at + "/wire");
            InterfaceConfig ip = a.ip() == null ? null : value(() -> InterfaceConfig.parse(a.ip()), at + "/ip");
            adapters.add(new RunConfiguration.Adapter(name, mac, wire, ip, registry(a.keywords(), at + "/keywords")));
        }
        return adapters;
    }

    /**
     * Keywords: a number or a string is REG_SZ text (as an INF writes it), a list of strings
     * REG_MULTI_SZ, {@code {"dword": N}} REG_DWORD, {@code {"binary": "HEX"}} REG_BINARY.
     * Standardized keywords are checked against their INF type and range.
     */
    private AdapterConfiguration registry(Map<String, JsonNode> keywords, String at) {
        AdapterConfiguration.Builder registry = AdapterConfiguration.builder();
        if (keywords == null) {
            return registry.build();
        }
        for (Map.Entry<String, JsonNode> e : keywords.entrySet()) {
            String keyword = e.getKey();
            String here = at + "/" + escape(keyword);
            RegistryValue value = registryValue(e.getValue(), here);
            try {
                registry.value(keyword, value);
            } catch (IllegalArgumentException bad) {
                throw at(
                        here,
                        bad.getMessage().startsWith(keyword + ": ")
                                ? bad.getMessage().substring(keyword.length() + 2)
                                : bad.getMessage());
            }
        }
        return registry.build();
    }

    private RegistryValue registryValue(JsonNode node, String at) {
        String expected = "a keyword's value is a whole number, a string, a list of strings, {\"dword\": N} or"
                + " {\"binary\": \"HEX\"}";
        if (node == null || node.isNull()) {
            throw at(at, "null; " + expected);
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong() || node.longValue() < -0x8000_0000L || node.longValue() > 0xFFFF_FFFFL) {
                throw at(at, node + " does not fit in 32 bits");
            }
            return new RegistryValue.RegSz(Long.toString(node.longValue()));
        }
        if (node.isString()) {
            return new RegistryValue.RegSz(node.stringValue());
        }
        if (node.isArray()) {
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isString()) {
                    throw at(at + "/" + i, "a REG_MULTI_SZ list holds strings, not " + kind(node.get(i)));
                }
                strings.add(node.get(i).stringValue());
            }
            return new RegistryValue.RegMultiSz(strings);
        }
        if (node.isObject() && node.size() == 1) {
            JsonNode dword = node.get("dword");
            JsonNode binary = node.get("binary");
            if (dword != null) {
                if (!dword.isIntegralNumber()
                        || !dword.canConvertToLong()
                        || dword.longValue() < 0
                        || dword.longValue() > 0xFFFF_FFFFL) {
                    throw at(at + "/dword", "a REG_DWORD is a whole number 0..4294967295, not " + dword);
                }
                return new RegistryValue.RegDword((int) dword.longValue());
            }
            if (binary != null) {
                if (!binary.isString()) {
                    throw at(at + "/binary", "a REG_BINARY is a string of hexadecimal digits, not " + kind(binary));
                }
                try {
                    return new RegistryValue.RegBinary(HexFormat.of().parseHex(binary.stringValue()));
                } catch (IllegalArgumentException e) {
                    throw at(at + "/binary", "'" + binary.stringValue() + "' is not pairs of hexadecimal digits");
                }
            }
        }
        throw at(at, kind(node) + "; " + expected);
    }

    private RunConfiguration.Drivers drivers(ConfigFile.Drivers d) {
        if (d == null) {
            return RunConfiguration.Drivers.NONE;
        }
        List<Path> jars = new ArrayList<>();
        List<String> jarTexts = d.jars() == null ? List.of() : d.jars();
        for (int i = 0; i < jarTexts.size(); i++) {
            String text = jarTexts.get(i);
            if (text == null || text.isEmpty()) {
                throw at("/drivers/jars/" + i, "a jar is a file name, not empty");
            }
            Path jar = directory.resolve(text).normalize();
            if (!Files.isRegularFile(jar)) {
                throw at("/drivers/jars/" + i, "no such file: " + jar);
            }
            jars.add(jar);
        }
        String miniport = d.miniport();
        if (miniport != null) {
            className(miniport, "/drivers/miniport");
        }
        List<String> filters = names(d.filters(), "/drivers/filters");
        List<String> protocols = names(d.protocols(), "/drivers/protocols");
        return new RunConfiguration.Drivers(jars, miniport, filters, protocols);
    }

    private List<String> names(List<String> list, String at) {
        if (list == null) {
            return List.of();
        }
        for (int i = 0; i < list.size(); i++) {
            className(list.get(i), at + "/" + i);
        }
        return list;
    }

    private void className(String text, String at) {
        if (text == null || !CLASS_NAME.matcher(text).matches()) {
            throw at(at, "'" + text + "' is not a class name (or vmini, vlanfilter, ipstack)");
        }
    }

    // ---- values --------------------------------------------------------------------------------

    private int range(int value, int min, int max, String at) {
        if (value < min || value > max) {
            throw at(at, value + " is not within " + min + ".." + max);
        }
        return value;
    }

    private Duration millis(Long value, Duration dflt, String at) {
        if (value == null) {
            return dflt;
        }
        if (value < 1 || value > 86_400_000L) {
            throw at(at, value + " ms is not within 1..86400000");
        }
        return Duration.ofMillis(value);
    }

    private interface Parse<T> {
        T get();
    }

    private <T> T value(Parse<T> parse, String at) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw at(at, e.getMessage());
        }
    }

    private static String kind(JsonNode node) {
        if (node.isBoolean()) {
            return "a boolean (" + node + ")";
        }
        if (node.isNumber()) {
            return "a fraction (" + node + ")";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isNull() ? "null" : "a " + node.getNodeType().name().toLowerCase();
    }

    // ---- errors --------------------------------------------------------------------------------

    private ConfigException at(String pointer, String reason) {
        JsonLocations.Location l = locations.of(JsonPointer.compile(pointer));
        return new ConfigException(file, dotted(pointer), l.line(), l.column(), reason);
    }

    private ConfigException whole(String reason) {
        return new ConfigException(file, "", 0, 0, reason);
    }

    private ConfigException fromJackson(JacksonException e) {
        TokenStreamLocation l = e.getLocation();
        int line = l == null ? 0 : Math.max(0, l.getLineNr());
        int column = l == null ? 0 : Math.max(0, l.getColumnNr());
        StringBuilder pointer = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            pointer.append('/')
                    .append(r.getPropertyName() != null ? escape(r.getPropertyName()) : Integer.toString(r.getIndex()));
        }
        String reason;
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null
                    ? ""
                    : " (known keys: "
                            + u.getKnownPropertyIds().stream()
                                    .map(Object::toString)
                                    .sorted()
                                    .collect(Collectors.joining(", "))
                            + ")";
            reason = "unknown key '" + u.getPropertyName() + "'" + known;
        } else {
            reason = firstLine(e.getOriginalMessage());
        }
        if (locations != null && pointer.length() > 0 && line <= 0) {
            JsonLocations.Location at = locations.of(JsonPointer.compile(pointer.toString()));
            line = at.line();
            column = at.column();
        }
        return new ConfigException(file, dotted(pointer.toString()), line, column, reason);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** JSON Pointer escaping of one key. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** {@code /adapters/0/keywords/*JumboPacket} → {@code adapters[0].keywords.*JumboPacket}. */
    static String dotted(String pointer) {
        StringBuilder b = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String key = segment.replace("~1", "/").replace("~0", "~");
            if (key.chars().allMatch(Character::isDigit) && b.length() > 0) {
                b.append('[').append(key).append(']');
            } else {
                b.append(b.length() == 0 ? "" : ".").append(key);
            }
        }
        return b.toString();
    }
}
