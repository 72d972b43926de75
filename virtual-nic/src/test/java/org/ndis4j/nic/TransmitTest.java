package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.PhyRegisters;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.nic.regs.TransmitDescriptor;

class TransmitTest {

    private final NicBench bench = new NicBench();
    private final TestDriver driver = bench.driver;

    @AfterEach
    void tearDown() {
        bench.close();
    }

    @Test
    void sendsEveryFrameBetweenHeadAndTailByteForByteInOneFlush() {
        driver.start(Registers.RCTL_DIRECTED);
        byte[] small = Frames.frame(Frames.PEER, NicBench.STATION, 60, 1);
        byte[] medium = Frames.frame(Frames.PEER, NicBench.STATION, 700, 2);
        byte[] largest = Frames.frame(Frames.PEER, NicBench.STATION, HardwareLimits.MAX_FRAME_LENGTH, 3);
        int first = driver.queueTransmit(small);
        driver.queueTransmit(medium);
        int last = driver.queueTransmit(largest);
        driver.kickTransmit();

        assertThat(bench.peer.frames).containsExactly(small, medium, largest);
        assertThat(bench.peer.bursts.get()).as("one flush per burst").isEqualTo(1);
        for (int slot = first; slot <= last; slot++) {
            assertThat(driver.transmitStatus(slot)).isEqualTo(TransmitDescriptor.STATUS_DONE);
        }
        assertThat(driver.registers.read32(Registers.TX_HEAD)).isEqualTo(3);
        assertThat(driver.counter(StatisticsCounter.TX_FRAMES)).isEqualTo(3);
        assertThat(driver.counter(StatisticsCounter.TX_BYTES)).isEqualTo(60 + 700 + HardwareLimits.MAX_FRAME_LENGTH);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_TX_DONE);
    }

    @Test
    void transmitDoneIsRaisedOnlyForDescriptorsThatAskForIt() {
        driver.start(Registers.RCTL_DIRECTED);
        driver.queueTransmit(Frames.frame(Frames.PEER, 64, 1), 0);
        driver.kickTransmit();
        assertThat(bench.peer.frames).hasSize(1);
        assertThat(driver.transmitStatus(0)).isEqualTo(TransmitDescriptor.STATUS_DONE);
        assertThat(driver.readCause()).isZero();
    }

    @Test
    void nothingIsSentUntilTransmitIsEnabledAndThenEverythingPending() {
        driver.registers.write32(Registers.CTRL, Registers.CTRL_RX_ENABLE);
        driver.transmit(Frames.frame(Frames.PEER, 64, 1));
        driver.transmit(Frames.frame(Frames.PEER, 64, 2));
        assertThat(bench.peer.frames).isEmpty();
        assertThat(driver.registers.read32(Registers.TX_HEAD)).isZero();

        driver.registers.write32(Registers.CTRL, Registers.CTRL_RX_ENABLE | Registers.CTRL_TX_ENABLE);
        assertThat(bench.peer.frames).hasSize(2);
        assertThat(driver.registers.read32(Registers.TX_HEAD)).isEqualTo(2);
    }

    @Test
    void wrapsAroundTheRing() {
        driver.start(Registers.RCTL_DIRECTED);
        int frames = NicBench.RING_SIZE * 3 + 5;
        for (int i = 0; i < frames; i++) {
            driver.transmit(Frames.frame(Frames.PEER, 100 + i, i));
        }
        assertThat(bench.peer.frames).hasSize(frames);
        assertThat(bench.peer.frames.get(frames - 1))
                .isEqualTo(Frames.frame(Frames.PEER, 100 + frames - 1, frames - 1));
        assertThat(driver.registers.read32(Registers.TX_HEAD)).isEqualTo(frames % NicBench.RING_SIZE);
    }

    @Test
    void aLongBurstIsFlushedEveryBurstLimit() {
        try (NicBench big = new NicBench(512)) {
            big.driver.start(Registers.RCTL_DIRECTED);
            int frames = HardwareLimits.TX_BURST_FRAMES + 44;
            for (int i = 0; i < frames; i++) {
                big.driver.queueTransmit(Frames.frame(Frames.PEER, 64, i));
            }
            big.driver.kickTransmit();
            assertThat(big.peer.frames).hasSize(frames);
            assertThat(big.peer.bursts.get()).isEqualTo(2);
        }
    }

    @Test
    void badDescriptorsAreWrittenBackWithAnErrorAndCountedAndTheRingGoesOn() {
        driver.start(Registers.RCTL_DIRECTED);
        long buffer = driver.txRing.physicalAddress(); // any valid address
        int empty = driver.queueDescriptor(buffer, 0, TransmitDescriptor.CMD_REPORT_STATUS);
        int runt = driver.queueDescriptor(buffer, HardwareLimits.ETHERNET_HEADER_LENGTH - 1, 0);
        int oversize = driver.queueDescriptor(buffer, HardwareLimits.MAX_FRAME_LENGTH + 1, 0);
        int unmapped = driver.queueDescriptor(0xdead_0000L, 64, 0);
        int beyondBlock = driver.queueDescriptor(driver.txRing.physicalAddress(driver.txRing.length() - 10), 64, 0);
        int wrapping = driver.queueDescriptor(Long.MAX_VALUE - 15, 64, 0); // its end wraps past 2^63
        byte[] good = Frames.frame(Frames.PEER, 64, 9);
        int fine = driver.queueTransmit(good);
        driver.kickTransmit();

        int done = TransmitDescriptor.STATUS_DONE;
        assertThat(driver.transmitStatus(empty)).isEqualTo(done | TransmitDescriptor.STATUS_ERR_LENGTH);
        assertThat(driver.transmitStatus(runt)).isEqualTo(done | TransmitDescriptor.STATUS_ERR_LENGTH);
        assertThat(driver.transmitStatus(oversize)).isEqualTo(done | TransmitDescriptor.STATUS_ERR_LENGTH);
        assertThat(driver.transmitStatus(unmapped)).isEqualTo(done | TransmitDescriptor.STATUS_ERR_DMA);
        assertThat(driver.transmitStatus(beyondBlock)).isEqualTo(done | TransmitDescriptor.STATUS_ERR_DMA);
        assertThat(driver.transmitStatus(wrapping)).isEqualTo(done | TransmitDescriptor.STATUS_ERR_DMA);
        assertThat(driver.transmitStatus(fine)).isEqualTo(done);
        assertThat(bench.peer.frames).containsExactly(good);
        assertThat(driver.counter(StatisticsCounter.TX_LENGTH_ERRORS)).isEqualTo(3);
        assertThat(driver.counter(StatisticsCounter.TX_DMA_ERRORS)).isEqualTo(3);
        assertThat(driver.counter(StatisticsCounter.TX_FRAMES)).isEqualTo(1);
    }

    @Test
    void withoutCarrierFramesCompleteWithNoCarrierAndAreCounted() {
        driver.start(Registers.RCTL_DIRECTED);
        bench.wire.cut();
        int slot = driver.transmit(Frames.frame(Frames.PEER, 64, 1));
        assertThat(driver.transmitStatus(slot))
                .isEqualTo(TransmitDescriptor.STATUS_DONE | TransmitDescriptor.STATUS_ERR_NO_CARRIER);
        assertThat(driver.counter(StatisticsCounter.TX_NO_CARRIER)).isEqualTo(1);
        assertThat(driver.counter(StatisticsCounter.TX_FRAMES)).isZero();
        bench.wire.reconnect();
        driver.transmit(Frames.frame(Frames.PEER, 64, 2));
        assertThat(bench.peer.frames).hasSize(1);
    }

    @Test
    void injectedTransmitFailuresFailExactlyTheNextFrames() {
        driver.start(Registers.RCTL_DIRECTED);
        bench.nic.faults().failNextTransmits(2);
        int a = driver.queueTransmit(Frames.frame(Frames.PEER, 64, 1));
        int b = driver.queueTransmit(Frames.frame(Frames.PEER, 64, 2));
        byte[] third = Frames.frame(Frames.PEER, 64, 3);
        int c = driver.queueTransmit(third);
        driver.kickTransmit();
        int failed = TransmitDescriptor.STATUS_DONE | TransmitDescriptor.STATUS_ERR_FAULT;
        assertThat(driver.transmitStatus(a)).isEqualTo(failed);
        assertThat(driver.transmitStatus(b)).isEqualTo(failed);
        assertThat(driver.transmitStatus(c)).isEqualTo(TransmitDescriptor.STATUS_DONE);
        assertThat(bench.peer.frames).containsExactly(third);
        assertThat(driver.counter(StatisticsCounter.TX_FAULT_ERRORS)).isEqualTo(2);
        assertThat(bench.nic.faults().pendingTransmitFailures()).isZero();
    }

    @Test
    void phyLoopbackReturnsTransmittedFramesToTheReceiveUnitInsteadOfTheWire() {
        driver.start(Registers.RCTL_DIRECTED);
        driver.unmask(Registers.INT_ALL);
        driver.phyWrite(
                PhyRegisters.BMCR,
                PhyRegisters.BMCR_RESET_VALUE | PhyRegisters.BMCR_LOOPBACK,
                bench.timer,
                NicBench.PHY_NANOS);
        driver.postReceiveBuffers(4);
        byte[] toSelf = Frames.frame(NicBench.STATION, NicBench.STATION, 128, 5);
        driver.transmit(toSelf);

        assertThat(bench.peer.frames).isEmpty();
        assertThat(driver.reap()).singleElement().satisfies(received -> {
            assertThat(received.data()).isEqualTo(toSelf);
            assertThat(received.status()).isEqualTo(ReceiveDescriptor.STATUS_DONE);
        });
        assertThat(driver.readCause()).isEqualTo(Registers.INT_TX_DONE | Registers.INT_RX);
    }
}
