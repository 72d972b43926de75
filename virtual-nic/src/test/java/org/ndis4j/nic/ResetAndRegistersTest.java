package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.PhyRegisters;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

class ResetAndRegistersTest {

    private final NicBench bench = new NicBench();
    private final TestDriver driver = bench.driver;

    @AfterEach
    void tearDown() {
        bench.close();
    }

    @Test
    void resetReturnsEveryUnitToPowerOnState() {
        driver.start(Registers.RCTL_DIRECTED | Registers.RCTL_MULTICAST);
        driver.unmask(Registers.INT_ALL);
        driver.registers.write32(Registers.ITR, 200);
        MacAddress assigned = MacAddress.of("02:aa:bb:cc:dd:ee");
        driver.registers.write32(Registers.RAL, assigned.registerLow());
        driver.registers.write32(Registers.RAH, assigned.registerHigh());
        driver.registers.write32(Registers.mtaHi(3), Registers.MTA_HI_VALID | 0x0100);
        driver.postReceiveBuffers(4);
        driver.transmit(Frames.frame(Frames.PEER, 64, 1));
        bench.peer.send(Frames.frame(assigned, 64, 1));
        driver.startPhyRead(PhyRegisters.PHYID1); // in flight across the reset

        driver.registers.write32(Registers.CTRL, Registers.CTRL_RESET);

        int[] zeroAfterReset = {
            Registers.CTRL,
            Registers.ICR,
            Registers.IMS,
            Registers.ITR,
            Registers.RCTL,
            Registers.MDIC,
            Registers.TX_BASE_LO,
            Registers.TX_BASE_HI,
            Registers.TX_SIZE,
            Registers.TX_HEAD,
            Registers.TX_TAIL,
            Registers.RX_BASE_LO,
            Registers.RX_BASE_HI,
            Registers.RX_SIZE,
            Registers.RX_HEAD,
            Registers.RX_TAIL,
            Registers.mtaHi(3),
            Registers.statsLo(StatisticsCounter.RX_FRAMES),
            Registers.statsLo(StatisticsCounter.TX_FRAMES)
        };
        for (int offset : zeroAfterReset) {
            assertThat(driver.registers.read32(offset))
                    .as("register 0x%03x", offset)
                    .isZero();
        }
        assertThat(MacAddress.fromRegisters(
                        driver.registers.read32(Registers.RAL), driver.registers.read32(Registers.RAH)))
                .isEqualTo(NicBench.STATION);
        assertThat(driver.registers.read32(Registers.STATUS) & Registers.STATUS_LINK_UP)
                .as("the cable is still in")
                .isNotZero();

        bench.timer.advance(NicBench.PHY_NANOS);
        assertThat(driver.phyResult())
                .as("the abandoned PHY command never completes")
                .isZero();

        bench.peer.send(Frames.frame(NicBench.STATION, 64, 2));
        assertThat(driver.counter(StatisticsCounter.RX_DISABLED)).isEqualTo(1);

        // the driver can bring it up again from scratch
        driver.programRings();
        driver.start(Registers.RCTL_DIRECTED);
        driver.postReceiveBuffers(2);
        byte[] again = Frames.frame(NicBench.STATION, 64, 3);
        bench.peer.send(again);
        assertThat(driver.reap()).extracting(TestDriver.Received::data).containsExactly(again);
    }

    @Test
    void statisticsReadAsLowAndHighRegisterPairs() {
        driver.start(Registers.RCTL_DIRECTED);
        driver.postReceiveBuffers(4);
        bench.peer.send(Frames.frame(NicBench.STATION, 100, 1), Frames.frame(NicBench.STATION, 200, 2));
        assertThat(driver.registers.read32(Registers.statsLo(StatisticsCounter.RX_FRAMES)))
                .isEqualTo(2);
        assertThat(driver.registers.read32(Registers.statsLo(StatisticsCounter.RX_BYTES)))
                .isEqualTo(300);
        assertThat(driver.registers.read32(Registers.statsHi(StatisticsCounter.RX_BYTES)))
                .isZero();
    }

    @Test
    void aResetMovesEachCounterToItsAtResetRegister() {
        driver.start(Registers.RCTL_DIRECTED);
        driver.postReceiveBuffers(4);
        bench.peer.send(Frames.frame(NicBench.STATION, 100, 1), Frames.frame(NicBench.STATION, 200, 2));
        assertThat(driver.registers.read32(Registers.statsAtResetLo(StatisticsCounter.RX_FRAMES)))
                .as("before any reset")
                .isZero();

        driver.registers.write32(Registers.CTRL, Registers.CTRL_RESET);

        assertThat(driver.registers.read32(Registers.statsLo(StatisticsCounter.RX_FRAMES)))
                .isZero();
        assertThat(driver.registers.read32(Registers.statsAtResetLo(StatisticsCounter.RX_FRAMES)))
                .isEqualTo(2);
        assertThat(driver.registers.read32(Registers.statsAtResetLo(StatisticsCounter.RX_BYTES)))
                .isEqualTo(300);
        assertThat(driver.registers.read32(Registers.statsAtResetHi(StatisticsCounter.RX_BYTES)))
                .isZero();

        bench.peer.send(Frames.frame(NicBench.STATION, 64, 3)); // receive unit off after the reset
        driver.registers.write32(Registers.CTRL, Registers.CTRL_RESET);
        assertThat(driver.registers.read32(Registers.statsAtResetLo(StatisticsCounter.RX_FRAMES)))
                .as("only what the counter held at the last reset")
                .isZero();
        assertThat(driver.registers.read32(Registers.statsAtResetLo(StatisticsCounter.RX_DISABLED)))
                .isEqualTo(1);
        assertThat(driver.counter(StatisticsCounter.BAD_REGISTER_ACCESSES)).isZero();
    }

    @Test
    void noCountIsLostToResetsThatRaceTheWire() throws InterruptedException {
        int frames = 20_000;
        Thread sender = new Thread(() -> {
            for (int i = 0; i < frames; i++) {
                bench.peer.send(Frames.frame(NicBench.STATION, 64, i)); // the unit is off: RX_DISABLED
            }
        });
        sender.start();
        long total = 0;
        while (sender.isAlive()) {
            driver.registers.write32(Registers.CTRL, Registers.CTRL_RESET);
            total += driver.registers.read32(Registers.statsAtResetLo(StatisticsCounter.RX_DISABLED));
        }
        sender.join();
        total += driver.counter(StatisticsCounter.RX_DISABLED);
        assertThat(total).as("counted before a reset, or after the last").isEqualTo(frames);
    }

    @Test
    void badAccessesReadZeroAndAreCountedNeverThrown() {
        assertThat(driver.registers.read32(0x002)).isZero();
        assertThat(driver.registers.read32(-4)).isZero();
        assertThat(driver.registers.read32(HardwareLimits.REGISTER_SPACE_LENGTH))
                .isZero();
        assertThat(driver.registers.read32(0x0FC)).as("undecoded").isZero();
        driver.registers.write32(Registers.STATUS, 0);
        driver.registers.write32(0x0FFE, 1);
        assertThat(driver.counter(StatisticsCounter.BAD_REGISTER_ACCESSES)).isEqualTo(6);
        assertThat(driver.registers.read32(Registers.STATUS) & Registers.STATUS_LINK_UP)
                .isNotZero();
    }

    @Test
    void unusableRingsAreCountedFlaggedInStatusRaiseRingErrorAndSendNothing() {
        driver.start(Registers.RCTL_DIRECTED);
        driver.unmask(Registers.INT_ALL);
        driver.registers.write32(Registers.TX_SIZE, 12); // not a power of two
        assertThat(status() & Registers.STATUS_TX_RING_ERROR)
                .as("not tried yet")
                .isZero();
        long raised = bench.raised();
        driver.transmit(Frames.frame(Frames.PEER, 64, 1));
        assertThat(bench.peer.frames).isEmpty();
        assertThat(driver.counter(StatisticsCounter.RING_ERRORS)).isEqualTo(1);
        assertThat(status() & (Registers.STATUS_TX_RING_ERROR | Registers.STATUS_RX_RING_ERROR))
                .isEqualTo(Registers.STATUS_TX_RING_ERROR);
        assertThat(bench.raised()).isEqualTo(raised + 1);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RING_ERROR);
        driver.registers.write32(Registers.TX_TAIL, 2);
        assertThat(driver.readCause()).as("raised once per fault").isZero();
        assertThat(driver.counter(StatisticsCounter.RING_ERRORS))
                .as("counted once per fault")
                .isEqualTo(1);

        driver.registers.write32(Registers.TX_SIZE, NicBench.RING_SIZE);
        assertThat(status() & Registers.STATUS_TX_RING_ERROR).as("reprogrammed").isZero();
        driver.registers.write32(Registers.TX_TAIL, NicBench.RING_SIZE); // beyond the ring
        assertThat(driver.registers.read32(Registers.TX_TAIL)).isZero();
        assertThat(driver.counter(StatisticsCounter.RING_ERRORS)).isEqualTo(2);
        assertThat(status() & Registers.STATUS_TX_RING_ERROR)
                .as("a bad tail is no ring fault")
                .isZero();

        driver.registers.write32(Registers.TX_BASE_LO, 0x1234_5670); // aligned, outside bus memory
        driver.registers.write32(Registers.TX_TAIL, 1);
        assertThat(driver.counter(StatisticsCounter.RING_ERRORS)).isEqualTo(3);
        assertThat(status() & Registers.STATUS_TX_RING_ERROR).isNotZero();
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RING_ERROR);
        assertThat(bench.peer.frames).isEmpty();

        driver.registers.write32(Registers.CTRL, Registers.CTRL_RESET);
        assertThat(status() & Registers.STATUS_TX_RING_ERROR).as("reset").isZero();
    }

    private int status() {
        return driver.registers.read32(Registers.STATUS);
    }

    @Test
    void aRingFreedUnderTheDeviceIsCountedNotThrown() {
        SharedMemory ring = bench.memory.allocate(NicBench.RING_SIZE * HardwareLimits.DESCRIPTOR_LENGTH);
        driver.registers.write32(Registers.RX_BASE_LO, (int) ring.physicalAddress());
        driver.registers.write32(Registers.RX_BASE_HI, (int) (ring.physicalAddress() >>> 32));
        driver.start(Registers.RCTL_DIRECTED);
        driver.registers.write32(Registers.RX_TAIL, 2); // two descriptors with zero-sized buffers
        bench.peer.send(Frames.frame(NicBench.STATION, 64, 1));
        assertThat(driver.counter(StatisticsCounter.RX_BUFFER_TOO_SMALL)).isEqualTo(1);

        // the driver (wrongly) frees the ring while the device still owns a descriptor
        bench.memory.free(ring);
        driver.readCause();
        bench.peer.send(Frames.frame(NicBench.STATION, 64, 2));
        assertThat(driver.counter(StatisticsCounter.RING_ERRORS)).isEqualTo(1);
        assertThat(driver.counter(StatisticsCounter.RX_NO_BUFFER))
                .as("the frame that found the ring gone is counted")
                .isEqualTo(1);
        assertThat(driver.registers.read32(Registers.STATUS) & Registers.STATUS_RX_RING_ERROR)
                .isNotZero();
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RING_ERROR | Registers.INT_RX_OVERRUN);
        bench.peer.send(Frames.frame(NicBench.STATION, 64, 3));
        assertThat(driver.counter(StatisticsCounter.RX_NO_BUFFER))
                .as("unusable until reprogrammed")
                .isEqualTo(2);
        assertThat(driver.readCause()).isEqualTo(Registers.INT_RX_OVERRUN);

        driver.programRings();
        assertThat(driver.registers.read32(Registers.STATUS) & Registers.STATUS_RX_RING_ERROR)
                .isZero();
    }
}
