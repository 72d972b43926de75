package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

class ReceiveTest {

    private final NicBench bench = new NicBench();
    private final TestDriver driver = bench.driver;

    @BeforeEach
    void start() {
        driver.start(Registers.RCTL_DIRECTED | Registers.RCTL_BROADCAST);
    }

    @AfterEach
    void tearDown() {
        bench.close();
    }

    @Test
    void framesLandInPostedBuffersByteForByteWithLengthAndDone() {
        driver.postReceiveBuffers(8);
        byte[] a = Frames.frame(NicBench.STATION, 60, 1);
        byte[] b = Frames.frame(NicBench.STATION, 1000, 2);
        byte[] c = Frames.frame(MacAddress.BROADCAST, HardwareLimits.MAX_FRAME_LENGTH, 3);
        bench.peer.send(a, b, c);

        List<TestDriver.Received> received = driver.reap();
        assertThat(received).extracting(TestDriver.Received::data).containsExactly(a, b, c);
        assertThat(received).extracting(TestDriver.Received::length).containsExactly(60, 1000, 1518);
        assertThat(received)
                .extracting(TestDriver.Received::status)
                .containsExactly(
                        ReceiveDescriptor.STATUS_DONE,
                        ReceiveDescriptor.STATUS_DONE,
                        ReceiveDescriptor.STATUS_DONE | ReceiveDescriptor.STATUS_BROADCAST);
        assertThat(driver.counter(StatisticsCounter.RX_FRAMES)).isEqualTo(3);
        assertThat(driver.counter(StatisticsCounter.RX_BYTES)).isEqualTo(60 + 1000 + 1518);
        assertThat(driver.counter(StatisticsCounter.RX_BROADCAST)).isEqualTo(1);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX);
    }

    @Test
    void oneBurstRaisesOneInterrupt() {
        driver.unmask(Registers.INT_ALL);
        driver.postReceiveBuffers(8);
        long before = bench.raised();
        bench.peer.send(
                Frames.frame(NicBench.STATION, 64, 1),
                Frames.frame(NicBench.STATION, 64, 2),
                Frames.frame(NicBench.STATION, 64, 3));
        assertThat(bench.raised() - before).isEqualTo(1);
        assertThat(bench.interrupts.get()).as("the connected sink saw it").isEqualTo((int) bench.raised());
    }

    @Test
    void withNoPostedBufferTheFrameIsDroppedCountedAndOverrunRaised() {
        driver.postReceiveBuffers(1);
        bench.peer.send(
                Frames.frame(NicBench.STATION, 64, 1),
                Frames.frame(NicBench.STATION, 64, 2),
                Frames.frame(NicBench.STATION, 64, 3));

        assertThat(driver.reap()).hasSize(1);
        assertThat(driver.counter(StatisticsCounter.RX_NO_BUFFER)).isEqualTo(2);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX | Registers.INT_RX_OVERRUN);

        driver.postReceiveBuffers(2);
        byte[] later = Frames.frame(NicBench.STATION, 64, 4);
        bench.peer.send(later);
        assertThat(driver.reap()).extracting(TestDriver.Received::data).containsExactly(later);
    }

    @Test
    void withNoRingProgrammedFramesCountAsNoBuffer() {
        driver.registers.write32(Registers.RX_SIZE, 0);
        bench.peer.send(Frames.frame(NicBench.STATION, 64, 1));
        assertThat(driver.counter(StatisticsCounter.RX_NO_BUFFER)).isEqualTo(1);
        assertThat(driver.counter(StatisticsCounter.RING_ERRORS)).isEqualTo(1);
    }

    @Test
    void aFrameLargerThanItsBufferConsumesTheDescriptorWithTooSmall() {
        driver.postReceiveBuffers(1, 100);
        bench.peer.send(Frames.frame(NicBench.STATION, 101, 1));
        assertThat(driver.reap()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(ReceiveDescriptor.STATUS_DONE | ReceiveDescriptor.STATUS_ERR_TOO_SMALL);
            assertThat(r.length()).isEqualTo(101);
        });
        assertThat(driver.counter(StatisticsCounter.RX_BUFFER_TOO_SMALL)).isEqualTo(1);
        assertThat(driver.counter(StatisticsCounter.RX_FRAMES)).isZero();
    }

    @Test
    void aBufferOutsideBusMemoryIsADmaErrorNotAnException() {
        driver.postReceiveDescriptor(0x10L, 2048);
        driver.postReceiveDescriptor(Long.MAX_VALUE - 15, 2048); // its end wraps past 2^63
        bench.peer.send(Frames.frame(NicBench.STATION, 64, 1), Frames.frame(NicBench.STATION, 64, 2));
        assertThat(driver.reap())
                .hasSize(2)
                .extracting(TestDriver.Received::status)
                .containsOnly(ReceiveDescriptor.STATUS_DONE | ReceiveDescriptor.STATUS_ERR_DMA);
        assertThat(driver.counter(StatisticsCounter.RX_DMA_ERRORS)).isEqualTo(2);
    }

    @Test
    void runtsAndOversizeFramesAreLengthErrors() {
        driver.postReceiveBuffers(4);
        bench.peer.send(
                new byte[HardwareLimits.ETHERNET_HEADER_LENGTH - 1],
                Frames.frame(NicBench.STATION, HardwareLimits.MAX_FRAME_LENGTH + 1, 1));
        assertThat(driver.reap()).isEmpty();
        assertThat(driver.counter(StatisticsCounter.RX_LENGTH_ERRORS)).isEqualTo(2);
    }

    @Test
    void whileReceiveIsDisabledFramesAreCountedAndDropped() {
        driver.registers.write32(Registers.CTRL, Registers.CTRL_TX_ENABLE);
        driver.postReceiveBuffers(4);
        bench.peer.send(Frames.frame(NicBench.STATION, 64, 1));
        assertThat(driver.reap()).isEmpty();
        assertThat(driver.counter(StatisticsCounter.RX_DISABLED)).isEqualTo(1);
    }

    @Test
    void injectedDropsLoseExactlyTheNextFrames() {
        driver.postReceiveBuffers(8);
        bench.nic.faults().dropNextReceived(2);
        byte[] third = Frames.frame(NicBench.STATION, 64, 3);
        bench.peer.send(Frames.frame(NicBench.STATION, 64, 1), Frames.frame(NicBench.STATION, 64, 2), third);
        assertThat(driver.reap()).extracting(TestDriver.Received::data).containsExactly(third);
        assertThat(driver.counter(StatisticsCounter.RX_FAULT_DROPS)).isEqualTo(2);
    }

    @Test
    void theRingWrapsAndTheDriverCanKeepUp() {
        int total = 0;
        for (int round = 0; round < 5; round++) {
            driver.postReceiveBuffers(NicBench.RING_SIZE - 1);
            byte[][] burst = new byte[NicBench.RING_SIZE - 1][];
            for (int i = 0; i < burst.length; i++) {
                burst[i] = Frames.frame(NicBench.STATION, 64 + i, round * 100 + i);
            }
            bench.peer.send(burst);
            assertThat(driver.reap()).extracting(TestDriver.Received::data).containsExactly(burst);
            total += burst.length;
        }
        assertThat(driver.counter(StatisticsCounter.RX_FRAMES)).isEqualTo(total);
        assertThat(driver.counter(StatisticsCounter.RX_NO_BUFFER)).isZero();
    }

    @Test
    void framesArrivingAfterCloseAreReleasedUnseen() {
        driver.postReceiveBuffers(4);
        bench.nic.close();
        bench.peer.send(Frames.frame(NicBench.STATION, 64, 1));
        assertThat(driver.counter(StatisticsCounter.RX_FRAMES)).isZero();
    }
}
