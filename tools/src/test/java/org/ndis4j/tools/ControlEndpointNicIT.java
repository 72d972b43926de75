package org.ndis4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.nic.MacAddress;
import org.ndis4j.nic.VirtualNic;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.wire.TcpWireOptions;
import org.ndis4j.wire.TcpWirePort;
import tools.jackson.databind.JsonNode;

/**
 * The control endpoint pulls a cable: a virtual NIC, plugged into {@code ndis4j switch} over its TCP
 * wire, sees link down when its port is set down through HTTP, stays down while the port is down
 * (its reconnects are refused), and sees link up again when the port is set up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ControlEndpointNicIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TcpWireOptions FAST_RECONNECT =
            TcpWireOptions.DEFAULTS.withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));

    @Test
    void portDownIsACablePullAndUpBringsTheLinkBack() throws Exception {
        try (SwitchProcess sw = SwitchProcess.start("--listen", "127.0.0.1:0", "--control", "127.0.0.1:0");
                TcpWirePort wire = TcpWirePort.connect(sw.listen(), null, FAST_RECONNECT);
                VirtualNic nic = VirtualNic.builder("vnic-control", wire)
                        .memory(new HostMemory(1 << 20))
                        .permanentAddress(MacAddress.of("02:4e:44:00:0c:01"))
                        .build()) {
            Control control = sw.control();
            Await.until("the NIC's link up", WAIT, () -> linkUp(nic));
            JsonNode port = control.port(1);
            assertThat(port.get("connected").asBoolean()).isTrue();

            JsonNode down = control.post("/ports/1/down");
            assertThat(down.get("adminUp").asBoolean()).isFalse();
            Await.until("the NIC's link down", WAIT, () -> !linkUp(nic));
            // The NIC retries every <= 200 ms; a few refused attempts later the port is still empty.
            Await.until("the NIC's reconnects refused", WAIT, () -> {
                JsonNode p = control.port(1);
                return p != null
                        && !p.get("adminUp").asBoolean()
                        && !p.get("connected").asBoolean();
            });
            assertThat(linkUp(nic)).as("link while the port is down").isFalse();

            JsonNode up = control.post("/ports/1/up");
            assertThat(up.get("adminUp").asBoolean()).isTrue();
            Await.until("the NIC's link up again", WAIT, () -> linkUp(nic));
            Await.until("the NIC back in port 1", WAIT, () -> {
                JsonNode p = control.port(1);
                return p != null && p.get("connected").asBoolean();
            });
        }
    }

    private static boolean linkUp(VirtualNic nic) {
        return (nic.resources().registers().read32(Registers.STATUS) & Registers.STATUS_LINK_UP) != 0;
    }
}
