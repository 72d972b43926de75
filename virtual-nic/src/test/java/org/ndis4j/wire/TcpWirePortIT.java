package org.ndis4j.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.wire.TestFrames.*;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two TcpWirePorts back to back on loopback: one listening (as a QEMU netdev would), one client. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpWirePortIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TcpWireOptions FAST_RECONNECT =
            TcpWireOptions.DEFAULTS.withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));

    private TcpWirePort server;
    private TcpWirePort client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void listenAndConnectCarryFramesAndCarrier() throws Exception {
        server = TcpWirePort.listen(new InetSocketAddress("127.0.0.1", 0), null, FAST_RECONNECT);
        RecordingListener s = new RecordingListener();
        server.attach(s);
        RecordingListener c = new RecordingListener();
        client = TcpWirePort.connect(server.localAddress(), null, FAST_RECONNECT);
        client.attach(c);
        s.awaitCarrier(true, WAIT);
        c.awaitCarrier(true, WAIT);

        byte[] f = ethernet(mac(1), mac(2), 1514, 3);
        assertThat(client.send(Unpooled.wrappedBuffer(f))).isTrue();
        client.flush();
        assertThat(s.awaitFrame(WAIT)).isEqualTo(f);
        assertThat(server.send(Unpooled.wrappedBuffer(f))).isTrue();
        server.flush();
        assertThat(c.awaitFrame(WAIT)).isEqualTo(f);

        // The listener goes away: the client loses carrier, retries, and comes back when it returns.
        InetSocketAddress address = server.localAddress();
        server.close();
        s.awaitCarrier(false, WAIT);
        c.awaitCarrier(false, WAIT);
        server = TcpWirePort.listen(address, null, FAST_RECONNECT);
        server.attach(s);
        c.awaitCarrier(true, WAIT);
        s.awaitCarrier(true, WAIT);
    }

    @Test
    void sendWithoutCarrierOrWithABadLengthDropsAndCounts() {
        client = TcpWirePort.connect(new InetSocketAddress("127.0.0.1", 9), null, FAST_RECONNECT);
        assertThat(client.send(Unpooled.wrappedBuffer(ethernet(mac(1), mac(2), 60, 0))))
                .isFalse();
        assertThat(client.send(Unpooled.wrappedBuffer(new byte[10]))).isFalse();
        assertThat(client.statistics().drops(DropReason.CARRIER_DOWN)).isEqualTo(1);
        assertThat(client.statistics().drops(DropReason.MALFORMED)).isEqualTo(1);
    }

    @Test
    void aListeningPortServesOnePeerAtATime() throws Exception {
        server = TcpWirePort.listen(new InetSocketAddress("127.0.0.1", 0), null, FAST_RECONNECT);
        RecordingListener s = new RecordingListener();
        server.attach(s);
        client = TcpWirePort.connect(server.localAddress(), null, FAST_RECONNECT);
        s.awaitCarrier(true, WAIT);
        try (RawPeer second = new RawPeer(server.localAddress())) {
            assertThat(second.closedByPeer(WAIT)).isTrue();
        }
        assertThat(server.isCarrierUp()).isTrue();
    }
}
