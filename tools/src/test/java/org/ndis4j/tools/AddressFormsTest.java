package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ndis4j.tools.endpoint.HostPort;
import org.ndis4j.wire.Transports;
import picocli.CommandLine;

/** Addresses and intervals as the command line reads them, and addresses as it prints them. */
class AddressFormsTest {

    private final HostPort hostPort = new HostPort();

    @Test
    void printedAddressesParseBackToTheSameAddress() {
        for (String text : new String[] {"127.0.0.1:5555", "0.0.0.0:1", "[::1]:5555", "[::]:80", "[fd00::2]:7"}) {
            InetSocketAddress a = hostPort.convert(text);
            assertThat(Transports.format(a)).isEqualTo(text);
            assertThat(hostPort.convert(Transports.format(a))).isEqualTo(a);
        }
    }

    @Test
    void ipv6IsPrintedInItsShortForm() {
        assertThat(Transports.format(hostPort.convert("[0:0:0:0:0:0:0:1]:1"))).isEqualTo("[::1]:1");
        assertThat(Transports.format(hostPort.convert("[2001:db8:0:0:1:0:0:1]:1")))
                .isEqualTo("[2001:db8::1:0:0:1]:1");
        assertThat(Transports.format(hostPort.convert("[2001:db8:1:2:3:4:0:5]:1")))
                .as("a single zero group stays")
                .isEqualTo("[2001:db8:1:2:3:4:0:5]:1");
    }

    @Test
    void badAddressesSayWhatIsWrong() {
        assertThatThrownBy(() -> hostPort.convert("::1:5555"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("in brackets");
        assertThatThrownBy(() -> hostPort.convert("127.0.0.1")).hasMessageContaining("expected HOST:PORT");
        assertThatThrownBy(() -> hostPort.convert("127.0.0.1:http")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> hostPort.convert("127.0.0.1:65536")).hasMessageContaining("outside 0..65535");
    }

    @Test
    void aBarePortIsLoopbackWhereThatIsTheDefault() {
        assertThat(new HostPort.LoopbackByDefault().convert("5557"))
                .isEqualTo(new InetSocketAddress("127.0.0.1", 5557));
        assertThat(new HostPort.LoopbackByDefault().convert("[::1]:5557"))
                .isEqualTo(new InetSocketAddress("::1", 5557));
    }

    @Test
    void intervalsAreNonNegativeSecondsWithFractions() {
        Seconds seconds = new Seconds();
        assertThat(seconds.convert("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(seconds.convert("0.25")).isEqualTo(Duration.ofMillis(250));
        assertThat(seconds.convert("0")).isZero();
        assertThatThrownBy(() -> seconds.convert("-1")).hasMessageContaining("negative");
        assertThatThrownBy(() -> seconds.convert("soon")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> seconds.convert("1e12")).hasMessageContaining("more than");
    }
}
