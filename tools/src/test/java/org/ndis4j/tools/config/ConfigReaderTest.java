package org.ndis4j.tools.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ndis4j.registry.RegistryValue;

/**
 * The run configuration reader: a good file becomes the kernel, adapters with their registries and
 * drivers; each kind of bad file is one error naming the key path and the line and column where it
 * was written.
 */
class ConfigReaderTest {

    static final Path HERE = Path.of(".");

    static ConfigException error(String text) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigReader.read("run.json", HERE, text));
    }

    @Test
    void aGoodFileBecomesTheMachineTheAdaptersAndTheDrivers() {
        RunConfiguration run = ConfigReader.read("run.json", HERE, """
                {
                  "kernel": {"processors": 4, "verifier": "full", "dpcTimeoutMillis": 250},
                  "adapters": [{
                    "name": "lan", "mac": "02:4e:44:00:00:01", "wire": "connect:127.0.0.1:5555", "ip": "10.0.0.1/24",
                    "keywords": {"*JumboPacket": 9014, "NetworkAddress": "024E44000010", "VendorRetries": {"dword": 3},
                                 "VendorBlob": {"binary": "0a0b"}, "VendorModes": ["a", "b"]}
                  }],
                  "drivers": {"miniport": "vmini", "filters": ["vlanfilter"], "protocols": ["ipstack"]}
                }
                """);
        assertThat(run.kernel().processors()).isEqualTo(4);
        assertThat(run.kernel().allocationStacks()).isTrue();
        assertThat(run.kernel().dpcTimeout()).isEqualTo(Duration.ofMillis(250));
        RunConfiguration.Adapter lan = run.adapters().get(0);
        assertThat(lan.name()).isEqualTo("lan");
        assertThat(lan.wire().listen()).isFalse();
        assertThat(lan.wire().address().getPort()).isEqualTo(5555);
        assertThat(lan.ip().toString()).isEqualTo("10.0.0.1/24");
        assertThat(lan.registry().get("*jumbopacket")).isEqualTo(new RegistryValue.RegSz("9014"));
        assertThat(lan.registry().get("VendorRetries")).isEqualTo(new RegistryValue.RegDword(3));
        assertThat(lan.registry().get("VendorBlob")).isEqualTo(new RegistryValue.RegBinary(new byte[] {10, 11}));
        assertThat(lan.registry().get("VendorModes")).isEqualTo(new RegistryValue.RegMultiSz(List.of("a", "b")));
        assertThat(run.drivers().miniport()).isEqualTo("vmini");
        assertThat(run.drivers().filters()).containsExactly("vlanfilter");
        assertThat(run.drivers().protocols()).containsExactly("ipstack");
    }

    @Test
    void aMisspelledKeywordIsNamedWithItsLineAndColumn() {
        ConfigException e = error("""
                {
                  "adapters": [{
                    "keywords": {
                      "*JumboPaket": 9014
                    }
                  }]
                }
                """);
        assertThat(e.path()).isEqualTo("adapters[0].keywords.*JumboPaket");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(7);
        assertThat(e.getMessage())
                .isEqualTo("run.json:4:7: adapters[0].keywords.*JumboPaket: *JumboPaket is not a standardized"
                        + " keyword (did you mean *JumboPacket?)");
    }

    @Test
    void aKeywordOfTheWrongTypeOrOutOfRangeIsNamed() {
        ConfigException text = error("{\"adapters\": [{\"keywords\": {\"*JumboPacket\": \"big\"}}]}");
        assertThat(text.path()).isEqualTo("adapters[0].keywords.*JumboPacket");
        assertThat(text.reason()).isEqualTo("'big' is not a number");
        assertThat(text.line()).isEqualTo(1);
        ConfigException bool = error("{\"adapters\": [{\"keywords\": {\n\"*JumboPacket\": true}}]}");
        assertThat(bool.line()).isEqualTo(2);
        assertThat(bool.reason()).startsWith("a boolean (true); a keyword's value is");
        assertThat(error("{\"adapters\": [{\"keywords\": {\"*JumboPacket\": 9015}}]}")
                        .reason())
                .isEqualTo("9015 is above 9014");
    }

    @Test
    void anUnknownKeyIsRejectedWithTheKeysThatExist() {
        ConfigException e = error("{\n  \"adapters\": [{\"nam\": \"x\"}]\n}");
        assertThat(e.path()).isEqualTo("adapters[0].nam");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.reason()).startsWith("unknown key 'nam' (known keys: ip, keywords, mac, name, wire)");
    }

    @Test
    void aWrongTypeForAKernelValueIsRejectedNotCoerced() {
        ConfigException e = error("{\"kernel\": {\"processors\": \"two\"}}");
        assertThat(e.path()).isEqualTo("kernel.processors");
        assertThat(e.line()).isEqualTo(1);
        assertThat(error("{\"kernel\": {\"processors\": 65}}").reason()).isEqualTo("65 is not within 1..64");
        assertThat(error("{\"kernel\": {\"verifier\": \"max\"}}").reason())
                .isEqualTo("'max' is not a verifier level (standard, full)");
    }

    @Test
    void syntaxErrorsDuplicatesAndBadValuesHaveTheirPlace() {
        ConfigException syntax = error("{\n  \"kernel\": {\"processors\": 2,}\n}");
        assertThat(syntax.line()).isEqualTo(2);
        assertThat(error("{\"kernel\": {}, \"kernel\": {}}").reason()).contains("Duplicate");
        ConfigException wire = error("{\"adapters\": [{\"wire\": \"tcp:1.2.3.4:5\"}]}");
        assertThat(wire.path()).isEqualTo("adapters[0].wire");
        assertThat(wire.reason())
                .isEqualTo("expected connect:HOST:PORT, listen:HOST:PORT or tap:IFNAME, got 'tcp:1.2.3.4:5'");
        ConfigException mac = error("{\"adapters\": [{\"mac\": \"01:00:5e:00:00:01\"}]}");
        assertThat(mac.reason()).contains("group address");
        ConfigException twice = error("{\"adapters\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}");
        assertThat(twice.path()).isEqualTo("adapters[1].name");
        ConfigException jar = error("{\"drivers\": {\"jars\": [\"no-such.jar\"]}}");
        assertThat(jar.path()).isEqualTo("drivers.jars[0]");
        assertThat(jar.reason()).startsWith("no such file: ");
    }
}
