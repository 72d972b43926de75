package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ndis4j.tools.config.ConfigException;
import org.ndis4j.tools.config.ConfigReader;
import org.ndis4j.tools.config.RunConfiguration;
import org.ndis4j.tools.endpoint.WireSpec;
import picocli.CommandLine.TypeConversionException;

/** {@code --wire}'s three forms, parsed once for every command that takes it and for a configuration file. */
class WireSpecTest {

    private static WireSpec parse(String value) {
        return new WireSpec.Converter().convert(value);
    }

    @Test
    void theThreeFormsParseAndPrintAsTheyWereWritten() {
        WireSpec connect = parse("connect:127.0.0.1:5555");
        assertThat(connect.kind()).isEqualTo(WireSpec.Kind.CONNECT);
        assertThat(connect.address().getPort()).isEqualTo(5555);
        assertThat(connect).hasToString("connect:127.0.0.1:5555");

        WireSpec listen = parse("listen:127.0.0.1:0");
        assertThat(listen.listen()).isTrue();
        assertThat(listen).hasToString("listen:127.0.0.1:0");

        WireSpec tap = parse("tap:tap0");
        assertThat(tap.kind()).isEqualTo(WireSpec.Kind.TAP);
        assertThat(tap.tap()).isEqualTo("tap0");
        assertThat(tap.listen()).isFalse();
        assertThat(tap).hasToString("tap:tap0");
    }

    @Test
    void aBadValueSaysWhatIsWrongInOneLine() {
        assertThatThrownBy(() -> parse("tap:"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("tap:IFNAME: interface name '' must be 1..15 bytes long");
        assertThatThrownBy(() -> parse("tap:a-name-far-too-long"))
                .hasMessage("tap:IFNAME: interface name 'a-name-far-too-long' must be 1..15 bytes long");
        assertThatThrownBy(() -> parse("tap:../etc"))
                .hasMessage(
                        "tap:IFNAME: interface name '../etc' may not be . or .. or contain '/', ':' or white space");
        assertThatThrownBy(() -> parse("tap")).hasMessage("tap:IFNAME: interface name '' must be 1..15 bytes long");
        assertThatThrownBy(() -> parse("dial:127.0.0.1:5555"))
                .hasMessage("expected connect:HOST:PORT, listen:HOST:PORT or tap:IFNAME, got 'dial:127.0.0.1:5555'");
        assertThatThrownBy(() -> parse("connect"))
                .hasMessage("expected connect:HOST:PORT, listen:HOST:PORT or tap:IFNAME, got 'connect'");
        assertThatThrownBy(() -> parse("connect:127.0.0.1:0")).hasMessage("connect needs a port other than 0");
    }

    @Test
    void pingAndSwitchRefuseABadTapNameWithExitStatusTwo() {
        CommandRun ping = CommandRun.of("ping", "--wire", "tap:bad name", "--ip", "10.9.0.2/24", "10.9.0.1");
        assertThat(ping.status()).isEqualTo(2);
        assertThat(ping.errLines().get(0))
                .contains(
                        "tap:IFNAME: interface name 'bad name' may not be . or .. or contain '/', ':' or white space");

        CommandRun sw = CommandRun.of("switch", "--listen", "127.0.0.1:0", "--tap", "way-too-long-name");
        assertThat(sw.status()).isEqualTo(2);
        assertThat(sw.errLines().get(0))
                .isEqualTo("ndis4j switch: --tap: interface name 'way-too-long-name' must be 1..15 bytes long"
                        + " (see ndis4j switch --help)");
        assertThat(sw.out()).doesNotContain("listening");
    }

    @Test
    void aConfigurationFilesWireIsParsedByTheSameParserAsTheFlag() {
        for (String text : new String[] {"connect:127.0.0.1:5555", "listen:127.0.0.1:0", "tap:n4jcfg0"}) {
            RunConfiguration run =
                    ConfigReader.read("run.json", Path.of("."), "{\"adapters\": [{\"wire\": \"" + text + "\"}]}");
            assertThat(run.adapters().get(0).wire()).isEqualTo(parse(text)).hasToString(text);
        }
        assertThatThrownBy(
                        () -> ConfigReader.read("run.json", Path.of("."), "{\"adapters\": [{\"wire\": \"tap:a/b\"}]}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("adapters[0].wire: tap:IFNAME: interface name 'a/b' may not be");
    }
}
