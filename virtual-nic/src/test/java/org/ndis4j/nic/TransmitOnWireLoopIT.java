package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.LeakPresenceDetector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.nic.regs.TransmitDescriptor;
import org.ndis4j.wire.TcpWirePort;

/**
 * On a wire with an event loop (TCP here), a tail write from another thread hands the transmit pass
 * to the wire's loop: the frames go out in order, the descriptors complete, and TX_DONE is raised
 * from the loop. Once the loop is gone, a tail write still completes every descriptor (no carrier).
 */
class TransmitOnWireLoopIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int RING = 16;

    private final TcpWirePort peerWire = TcpWirePort.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    private final WirePeer peer = new WirePeer(peerWire);
    private final List<byte[]> atPeer = peer.frames;
    private final TcpWirePort wire = TcpWirePort.connect(peerWire.localAddress());
    private final HostMemory memory = new HostMemory(8L << 20);
    private final VirtualNic nic = VirtualNic.builder("vnic-loop", wire)
            .memory(memory)
            .permanentAddress(NicBench.STATION)
            .build();
    private final AtomicInteger raisedOnLoop = new AtomicInteger();
    private final AtomicInteger raisedElsewhere = new AtomicInteger();
    private final TestDriver driver;

    TransmitOnWireLoopIT() {
        nic.resources().interrupt().connect(() -> {
            if (wire.eventLoop().inEventLoop()) {
                raisedOnLoop.incrementAndGet();
            } else {
                raisedElsewhere.incrementAndGet();
            }
        });
        driver = new TestDriver(nic, RING);
        driver.start(Registers.RCTL_DIRECTED);
        driver.unmask(Registers.INT_TX_DONE);
        Await.until(
                "link up", TIMEOUT, () -> (driver.registers.read32(Registers.STATUS) & Registers.STATUS_LINK_UP) != 0);
    }

    @AfterEach
    void tearDown() {
        driver.close();
        nic.close();
        wire.close();
        peerWire.close();
        assertThat(memory.allocatedBytes()).as("bus memory still allocated").isZero();
        LeakPresenceDetector.check();
    }

    @Test
    void aTailWrittenFromAnotherThreadIsSentOnTheWiresLoopWhichRaisesTxDone() {
        byte[] first = Frames.frame(Frames.PEER, NicBench.STATION, 60, 1);
        byte[] second = Frames.frame(Frames.PEER, NicBench.STATION, 1514, 2);
        byte[] third = Frames.frame(Frames.PEER, NicBench.STATION, 200, 3);
        driver.queueTransmit(first);
        driver.queueTransmit(second);
        driver.queueTransmit(third);
        driver.kickTransmit();

        Await.until("three frames at the peer", TIMEOUT, () -> atPeer.size() == 3);
        assertThat(atPeer).containsExactly(first, second, third);
        Await.until("TX_DONE raised", TIMEOUT, () -> raisedOnLoop.get() + raisedElsewhere.get() > 0);
        assertThat(raisedOnLoop.get()).as("raises from the wire's loop").isPositive();
        assertThat(raisedElsewhere.get()).as("raises from the writer's thread").isZero();
        assertThat(driver.readCause() & Registers.INT_TX_DONE).isEqualTo(Registers.INT_TX_DONE);
        assertThat(driver.registers.read32(Registers.TX_HEAD)).isEqualTo(3);
        for (int slot = 0; slot < 3; slot++) {
            assertThat(driver.transmitStatus(slot)).isEqualTo(TransmitDescriptor.STATUS_DONE);
        }
        assertThat(driver.counter(StatisticsCounter.TX_FRAMES)).isEqualTo(3);
    }

    @Test
    void onceTheWiresLoopIsGoneATailWriteStillCompletesEveryDescriptor() {
        wire.close(); // its private event loop shuts down
        int slot = driver.transmit(Frames.frame(Frames.PEER, NicBench.STATION, 60, 4));

        assertThat(driver.transmitStatus(slot) & TransmitDescriptor.STATUS_DONE).isNotZero();
        assertThat(driver.transmitStatus(slot) & TransmitDescriptor.STATUS_ERR_NO_CARRIER)
                .isNotZero();
        assertThat(driver.registers.read32(Registers.TX_HEAD)).isEqualTo(1);
        assertThat(driver.readCause() & Registers.INT_TX_DONE).isEqualTo(Registers.INT_TX_DONE);
        assertThat(atPeer).isEmpty();
    }
}
