package org.ndis4j.examples.vmini;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.ndis4j.testing.Await;
import org.ndis4j.wire.SwitchOptions;
import org.ndis4j.wire.TcpWireOptions;
import org.ndis4j.wire.TcpWirePort;
import org.ndis4j.wire.VirtualSwitch;
import org.ndis4j.wire.WirePort;

/**
 * The scenarios over real loopback TCP: each virtual NIC connects to a {@link VirtualSwitch} with
 * QEMU stream framing; pulling the cable is taking switch port 1 (machine A's) administratively down.
 */
class VminiSwitchIT extends VminiScenarios {

    private static final TcpWireOptions FAST_RECONNECT =
            TcpWireOptions.DEFAULTS.withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));

    private VirtualSwitch vswitch;

    @Override
    WirePort[] plugIn() {
        vswitch =
                VirtualSwitch.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SwitchOptions.DEFAULTS);
        InetSocketAddress address = vswitch.localAddress();
        TcpWirePort first = TcpWirePort.connect(address, null, FAST_RECONNECT);
        Await.until(
                "port 1 connected",
                () -> vswitch.ports().size() == 1 && vswitch.ports().get(0).connected());
        TcpWirePort second = TcpWirePort.connect(address, null, FAST_RECONNECT);
        return new WirePort[] {first, second};
    }

    @Override
    void pullCable() {
        vswitch.setAdminUp(1, false);
    }

    @Override
    void plugCable() {
        vswitch.setAdminUp(1, true);
    }

    @Override
    void unplug() {
        if (vswitch != null) {
            vswitch.close();
        }
    }
}
