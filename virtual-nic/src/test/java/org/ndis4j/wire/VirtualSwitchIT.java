package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.wire.TestFrames.*;

import io.netty.buffer.Unpooled;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The switch on real loopback sockets, with TcpWirePorts and raw peers plugged in. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualSwitchIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);
    private static final TcpWireOptions FAST_RECONNECT =
            TcpWireOptions.DEFAULTS.withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));

    private final MultiThreadIoEventLoopGroup group = Transports.newGroup(2);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private VirtualSwitch sw;

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        if (sw != null) {
            sw.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    private TcpWirePort nic(RecordingListener listener) {
        TcpWirePort port = keep(TcpWirePort.connect(sw.localAddress(), group, FAST_RECONNECT));
        port.attach(listener);
        return port;
    }

    @Test
    void twoWirePortsExchangeFramesBothWaysByteForByte() throws Exception {
        sw = VirtualSwitch.start(ANY_PORT, SwitchOptions.DEFAULTS);
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        TcpWirePort nicA = nic(a);
        TcpWirePort nicB = nic(b);
        a.awaitCarrier(true, WAIT);
        b.awaitCarrier(true, WAIT);

        List<byte[]> toB = new ArrayList<>();
        List<byte[]> toA = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            toB.add(ethernet(mac(0xb), mac(0xa), 14 + i * 40, i));
            toA.add(ethernet(mac(0xa), mac(0xb), 60 + i, i));
        }
        toB.forEach(f -> assertThat(nicA.send(Unpooled.wrappedBuffer(f))).isTrue());
        nicA.flush();
        toA.forEach(f -> assertThat(nicB.send(Unpooled.wrappedBuffer(f))).isTrue());
        nicB.flush();

        for (byte[] f : toB) {
            assertThat(b.awaitFrame(WAIT)).isEqualTo(f);
        }
        for (byte[] f : toA) {
            assertThat(a.awaitFrame(WAIT)).isEqualTo(f);
        }
        // Counters are added once per burst, after the burst's frames were handed on: wait for them.
        Await.until("A counted 200 frames out", WAIT, () -> nicA.statistics().txFrames() == 200);
        Await.until("B counted 200 frames in", WAIT, () -> nicB.statistics().rxFrames() == 200);
    }

    @Test
    void learnsAndFloodsOnlyWhatItMust() throws Exception {
        sw = VirtualSwitch.start(ANY_PORT, SwitchOptions.DEFAULTS);
        RawPeer a = keep(new RawPeer(sw.localAddress()));
        RawPeer b = keep(new RawPeer(sw.localAddress()));
        RawPeer c = keep(new RawPeer(sw.localAddress()));
        Await.until(
                "three ports",
                WAIT,
                () -> sw.ports().stream()
                                .filter(SwitchPortStatistics::connected)
                                .count()
                        == 3);

        byte[] unknown = ethernet(mac(0xb), mac(0xa), 60, 1);
        a.send(unknown);
        assertThat(b.receive(WAIT)).isEqualTo(unknown);
        assertThat(c.receive(WAIT)).isEqualTo(unknown); // B's address is not known yet: flooded

        byte[] reply = ethernet(mac(0xa), mac(0xb), 60, 2);
        b.send(reply);
        assertThat(a.receive(WAIT)).isEqualTo(reply);

        byte[] known = ethernet(mac(0xb), mac(0xa), 60, 3);
        a.send(known);
        assertThat(b.receive(WAIT)).isEqualTo(known);
        byte[] sentinel = ethernet(BROADCAST, mac(0xa), 60, 4);
        a.send(sentinel);
        assertThat(c.receive(WAIT))
                .as("C saw nothing between the flood and the broadcast")
                .isEqualTo(sentinel);
        assertThat(b.receive(WAIT)).isEqualTo(sentinel);
        assertThat(sw.macTable()).contains("02:00:00:00:00:0a port 1", "02:00:00:00:00:0b port 2");
    }

    @Test
    void adminDownPullsTheCableUntilAdminUp() throws Exception {
        sw = VirtualSwitch.start(ANY_PORT, SwitchOptions.DEFAULTS);
        RecordingListener a = new RecordingListener();
        nic(a);
        a.awaitCarrier(true, WAIT);
        RecordingListener b = new RecordingListener();
        TcpWirePort nicB = nic(b);
        b.awaitCarrier(true, WAIT);

        sw.setAdminUp(1, false);
        sw.setAdminUp(2, false);
        a.awaitCarrier(false, WAIT);
        b.awaitCarrier(false, WAIT);
        // Both NICs retry every <= 200 ms; the carrier must stay down while the ports are down.
        Await.until(
                "reconnect attempts refused",
                WAIT,
                () -> sw.ports().stream().noneMatch(SwitchPortStatistics::connected));
        assertThat(a.carrier.poll(500, TimeUnit.MILLISECONDS))
                .as("carrier change while admin down")
                .isNull();
        assertThat(nicB.isCarrierUp()).isFalse();

        sw.setAdminUp(1, true);
        sw.setAdminUp(2, true);
        a.awaitCarrier(true, WAIT);
        b.awaitCarrier(true, WAIT);
        byte[] f = ethernet(BROADCAST, mac(0xb), 60, 9);
        nicB.send(Unpooled.wrappedBuffer(f));
        nicB.flush();
        assertThat(a.awaitFrame(WAIT)).isEqualTo(f);
    }

    @Test
    void clientPortsReconnectWhenTheSwitchRestarts() throws Exception {
        sw = VirtualSwitch.start(ANY_PORT, SwitchOptions.DEFAULTS);
        InetSocketAddress address = sw.localAddress();
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        nic(a);
        TcpWirePort nicB = nic(b);
        a.awaitCarrier(true, WAIT);
        b.awaitCarrier(true, WAIT);

        sw.close();
        a.awaitCarrier(false, WAIT);
        b.awaitCarrier(false, WAIT);
        sw = VirtualSwitch.start(address, SwitchOptions.DEFAULTS);
        a.awaitCarrier(true, WAIT);
        b.awaitCarrier(true, WAIT);

        byte[] f = ethernet(BROADCAST, mac(0xb), 100, 5);
        nicB.send(Unpooled.wrappedBuffer(f));
        nicB.flush();
        assertThat(a.awaitFrame(WAIT)).isEqualTo(f);
    }

    @Test
    void badInputClosesOnlyThatPort() throws Exception {
        sw = VirtualSwitch.start(ANY_PORT, SwitchOptions.DEFAULTS);
        RawPeer bad = keep(new RawPeer(sw.localAddress()));
        RawPeer b = keep(new RawPeer(sw.localAddress()));
        RawPeer c = keep(new RawPeer(sw.localAddress()));
        Await.until(
                "three ports",
                WAIT,
                () -> sw.ports().stream()
                                .filter(SwitchPortStatistics::connected)
                                .count()
                        == 3);

        bad.sendRaw(new byte[] {0, 0, 0, 5, 1, 2, 3, 4, 5}); // a 5-byte "frame"
        assertThat(bad.closedByPeer(WAIT)).isTrue();
        // The port's slot is gone with its connection; its counters live on in the departed totals.
        Await.until("error counted", WAIT, () -> sw.statistics().departed().errors(FrameError.TOO_SHORT) == 1);

        byte[] f = ethernet(BROADCAST, mac(0xb), 60, 6);
        b.send(f);
        assertThat(c.receive(WAIT)).isEqualTo(f);
        assertThat(sw.statistics().port(2).connected()).isTrue();
        assertThat(sw.statistics().port(3).connected()).isTrue();
    }

    @Test
    void capturesWhatItForwards() throws Exception {
        Path file = dir.resolve("switch.pcap");
        sw = VirtualSwitch.start(ANY_PORT, SwitchOptions.DEFAULTS.withCapture(file));
        RawPeer a = keep(new RawPeer(sw.localAddress()));
        RawPeer b = keep(new RawPeer(sw.localAddress()));
        Await.until(
                "two ports",
                WAIT,
                () -> sw.ports().stream()
                                .filter(SwitchPortStatistics::connected)
                                .count()
                        == 2);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] f = ethernet(BROADCAST, mac(0xa), 60 + i, i);
            sent.add(f);
            a.send(f);
            assertThat(b.receive(WAIT)).isEqualTo(f);
        }
        sw.close();
        PcapWriterTest.Parsed p = PcapWriterTest.Parsed.read(file);
        assertThat(p.frames()).containsExactlyElementsOf(sent);
    }
}
